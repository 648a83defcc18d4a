-- 小额先行救助 (rules.md §1.10; 改革意见 15; 临时救助意见): an emergency
-- 临时救助 case within the town's limit is paid first and documented after.
-- The move takes an accepted case straight to the district's decision, with
-- no home visit, town review or publicity; assistance_procedure.c allows it
-- only for a linshi case declared pay_first, and the case shows its
-- documents as owed until POST .../documents-complete.
INSERT INTO assistance_transitions (from_state, action, to_state, permission, needs_reason,
                                    title_zh, title_en, sort_order)
VALUES ('draft', 'pay_first', 'district_review', 'assistance:case:write', 0,
        '小额先行救助（先救助后补材料）', 'Pay first, document after (emergency)', 5);
