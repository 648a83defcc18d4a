-- 角色管理 (issue #7): the security administrator reads every role with its
-- permissions and the data scopes its users carry, and may change the
-- permissions of a business role (accounts_roles.c says which changes are
-- refused, so the three-role separation holds). Reading and changing are two
-- permissions, as in 若依 (system:role:list / system:role:edit); the existing
-- system:role:manage is the one that changes.
INSERT INTO permissions (name, title_zh, title_en) VALUES
    ('system:role:read', '查看角色与权限', 'View roles and permissions');

INSERT INTO role_permissions (role, permission) VALUES
    ('security_admin', 'system:role:read');
