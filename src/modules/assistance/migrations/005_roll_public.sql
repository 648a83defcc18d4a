-- Social assistance: the long-term public list (长期公示) and the indicators
-- (issue #5 items 7 and 9; docs/assistance.md "Public list", "Indicators").
--
-- The public list shows only what the notice board shows (name, household
-- size, monthly amount: 审核确认办法 第二十四条, rules.md §1.5, §11.5); it is
-- still a list of every recipient of a region, so it is read by staff who
-- print it for the village or community notice board, within their data
-- scope, and every read is audited. It is not an unauthenticated endpoint:
-- that would let anyone enumerate every recipient of the district.
INSERT INTO permissions (name, title_zh, title_en) VALUES
    ('assistance:public:read', '查看和打印救助对象长期公示名单', 'View and print the recipients'' public list'),
    ('assistance:indicator:read', '查看社会救助统计指标', 'View social-assistance indicators');

INSERT INTO role_permissions (role, permission) VALUES
    ('civil_caseworker', 'assistance:public:read'),
    ('civil_caseworker', 'assistance:indicator:read'),
    ('town_caseworker', 'assistance:public:read'),
    ('town_caseworker', 'assistance:indicator:read');
