set role service_role;
