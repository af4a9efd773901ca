-- Realistic durability for the benchmark (the test cluster turns these off).
-- Written to postgresql.auto.conf; they only apply if no command-line -c overrides them.
alter system set fsync = on;
alter system set synchronous_commit = on;
alter system set full_page_writes = on;
