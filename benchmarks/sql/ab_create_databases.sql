-- Throwaway databases for the A/B variants (same cluster, same roles).
create database bench_ab_1;
create database bench_ab_2;
