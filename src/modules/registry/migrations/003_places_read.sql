-- Place names are public data, and the registry's caseworker roles need them
-- for the console's town map and town filter (placenames grants places:read
-- only to the roles that existed before the registry added these).
INSERT INTO role_permissions (role, permission) VALUES
    ('civil_caseworker', 'places:read'),
    ('town_caseworker', 'places:read'),
    ('hrss_officer', 'places:read'),
    ('health_officer', 'places:read');
