-- 特困 and 临时救助 (issue #5 item 5; docs/assistance.md; rules.md §1.7, §1.8,
-- §1.10): what an application for them declares beyond the dibao snapshot,
-- the per-member result of the 特困 computation, and the policy values.
--
-- Both schemes use assistance_cases and its members, incomes, assets and
-- expenses; these tables hold only what is theirs, one row per case (linshi)
-- or per member or supporter (tekun).

-- Per member of a 特困 application: the disability type (the grade is
-- assistance_members.disability_grade) and the ADL items not met as bits
-- (assistance_tekun.h: feeding dressing bed_transfer toilet indoor_walking
-- bathing). The result columns are the last computation's.
CREATE TABLE assistance_tekun_members (
    case_id         BIGINT NOT NULL REFERENCES assistance_cases (id),
    resident_id     BIGINT NOT NULL REFERENCES residents (id),
    disability_type TEXT NOT NULL DEFAULT '' CHECK (disability_type IN ('', 'intellectual',
                        'mental', 'physical', 'visual', 'hearing', 'speech', 'multiple')),
    adl_not_met     INTEGER NOT NULL DEFAULT 0 CHECK (adl_not_met BETWEEN 0 AND 63),
    care_level      TEXT NOT NULL DEFAULT '' CHECK (care_level IN ('', 'self', 'partial', 'full')),
    basic_fen       BIGINT NOT NULL DEFAULT 0,
    care_fen        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, resident_id)
);

-- The legal supporters (法定赡养、抚养、扶养义务人) as declared (rules.md §1.8):
-- each is able to support unless one of the conditions holds.
CREATE TABLE assistance_tekun_supporters (
    id                   {{pk}},
    case_id              BIGINT NOT NULL REFERENCES assistance_cases (id),
    relation             TEXT NOT NULL,
    age                  INTEGER NOT NULL CHECK (age BETWEEN 0 AND 150),
    is_tekun             INTEGER NOT NULL DEFAULT 0 CHECK (is_tekun IN (0, 1)),
    is_dibao             INTEGER NOT NULL DEFAULT 0 CHECK (is_dibao IN (0, 1)),
    is_severely_disabled INTEGER NOT NULL DEFAULT 0 CHECK (is_severely_disabled IN (0, 1)),
    annual_income_fen    BIGINT NOT NULL DEFAULT 0 CHECK (annual_income_fen >= 0),
    has_low_assets       INTEGER NOT NULL DEFAULT 0 CHECK (has_low_assets IN (0, 1)),
    is_incapacitated     INTEGER NOT NULL DEFAULT 0 CHECK (is_incapacitated IN (0, 1)),
    is_missing           INTEGER NOT NULL DEFAULT 0 CHECK (is_missing IN (0, 1)),
    is_in_prison         INTEGER NOT NULL DEFAULT 0 CHECK (is_in_prison IN (0, 1))
);
CREATE INDEX assistance_tekun_supporters_case ON assistance_tekun_supporters (case_id, id);

-- A 临时救助 application: kind, cause, severity and months (the spending of
-- the expenditure kind is its assistance_expenses lines, with receipts).
-- is_pay_first: 小金额先行救助, paid before the documents are complete
-- (rules.md §1.10); documents_completed_on '' means they are still owed.
-- The result columns are the last computation's.
CREATE TABLE assistance_linshi (
    case_id                   BIGINT PRIMARY KEY REFERENCES assistance_cases (id),
    kind                      TEXT NOT NULL CHECK (kind IN ('emergency', 'expenditure')),
    cause                     TEXT NOT NULL,
    severity                  TEXT NOT NULL CHECK (severity IN ('general', 'serious', 'critical')),
    months                    INTEGER NOT NULL CHECK (months BETWEEN 1 AND 12),
    is_pay_first              INTEGER NOT NULL DEFAULT 0 CHECK (is_pay_first IN (0, 1)),
    documents_completed_on    TEXT NOT NULL DEFAULT '',
    documents_completed_by    TEXT NOT NULL DEFAULT '',
    multiple_ppm              BIGINT NOT NULL DEFAULT 0,
    tier_fen                  BIGINT NOT NULL DEFAULT 0,
    cap_fen                   BIGINT NOT NULL DEFAULT 0,
    town_limit_fen            BIGINT NOT NULL DEFAULT 0,
    needs_collective_decision INTEGER NOT NULL DEFAULT 0 CHECK (needs_collective_decision IN (0, 1)),
    is_within_town_limit      INTEGER NOT NULL DEFAULT 0 CHECK (is_within_town_limit IN (0, 1))
);

-- Policy values. The 特困 conditions are verified (特困人员认定办法); the care
-- subsidies, the 特困 asset limits, the 临时救助 tiers, cap and town limit
-- and last year's per-capita disposable income are placeholders (rules.md
-- §1.7 [U], §1.10 [U], Appendix B), said so in their notes.
INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('cq.tekun.care.self', 'fen', 'fen/person/month', '特困人员照料护理补贴（具备生活自理能力）', 'Extreme-poverty care subsidy, self-care', 0, NULL),
    ('cq.tekun.care.partial', 'fen', 'fen/person/month', '特困人员照料护理补贴（部分丧失生活自理能力）', 'Extreme-poverty care subsidy, partial loss of self-care', 0, NULL),
    ('cq.tekun.care.full', 'fen', 'fen/person/month', '特困人员照料护理补贴（完全丧失生活自理能力）', 'Extreme-poverty care subsidy, full loss of self-care', 0, NULL),
    ('assistance.tekun.adl_full_loss_min', 'int', 'items', '完全丧失生活自理能力的不能自理项数下限', 'ADL items not met from which self-care is fully lost', 1, 6),
    ('assistance.tekun.age_elderly_min', 'int', 'years', '特困认定无劳动能力的老年人年龄', 'Age from which a person cannot work (extreme poverty)', 0, 150),
    ('assistance.tekun.age_minor_below', 'int', 'years', '特困认定无劳动能力的未成年人年龄上限（不含）', 'Age below which a minor cannot work (extreme poverty)', 0, 150),
    ('assistance.tekun.minor_until_age', 'int', 'years', '特困未成年人救助供养延续至年龄', 'Age to which a minor keeps extreme-poverty support', 0, 150),
    ('assistance.tekun.disability.intellectual_max_grade', 'int', 'grade', '无劳动能力的智力残疾等级上限', 'Highest intellectual-disability grade that means no ability to work', 0, 4),
    ('assistance.tekun.disability.mental_max_grade', 'int', 'grade', '无劳动能力的精神残疾等级上限', 'Highest mental-disability grade that means no ability to work', 0, 4),
    ('assistance.tekun.disability.physical_max_grade', 'int', 'grade', '无劳动能力的肢体残疾等级上限', 'Highest physical-disability grade that means no ability to work', 0, 4),
    ('assistance.tekun.disability.visual_max_grade', 'int', 'grade', '无劳动能力的视力残疾等级上限', 'Highest visual-disability grade that means no ability to work', 0, 4),
    ('assistance.tekun.asset.deposit_months', 'int', 'months of the dibao standard per person', '特困人员金融资产上限（人均低保标准月数）', 'Extreme-poverty financial assets limit, months of the dibao standard per person', 0, 1200),
    ('assistance.tekun.asset.max_houses', 'int', 'houses', '特困人员住房套数上限', 'Most houses (extreme poverty)', 0, 100),
    ('assistance.tekun.asset.max_vehicles', 'int', 'vehicles', '特困人员机动车辆上限', 'Most motor vehicles (extreme poverty)', 0, 100),
    ('assistance.tekun.supporter.dibao_age_min', 'int', 'years', '低保对象义务人视为无履行能力的年龄', 'Age from which a dibao supporter cannot support', 0, 150),
    ('assistance.tekun.supporter.age_min', 'int', 'years', '义务人视为无履行能力的高龄年龄（且收入资产低）', 'Age from which a low-income supporter cannot support', 0, 150),
    ('assistance.tekun.start_months_after_decision', 'int', 'months', '特困供养金自认定后第几个月起发放', 'Months after the decision month that extreme-poverty payment starts', 0, 1),
    ('assistance.linshi.start_months_after_decision', 'int', 'months', '临时救助金发放月份（认定当月后第几个月）', 'Months after the decision month that temporary assistance is paid', 0, 1),
    ('assistance.linshi.tier.emergency.general', 'ratio', '× urban standard per month', '急难型临时救助（一般）倍数', 'Emergency assistance, general: multiple of the urban standard', NULL, NULL),
    ('assistance.linshi.tier.emergency.serious', 'ratio', '× urban standard per month', '急难型临时救助（较重）倍数', 'Emergency assistance, serious: multiple of the urban standard', NULL, NULL),
    ('assistance.linshi.tier.emergency.critical', 'ratio', '× urban standard per month', '急难型临时救助（严重）倍数', 'Emergency assistance, critical: multiple of the urban standard', NULL, NULL),
    ('assistance.linshi.tier.expenditure.general', 'ratio', '× urban standard per month', '支出型临时救助（一般）倍数', 'Expenditure assistance, general: multiple of the urban standard', NULL, NULL),
    ('assistance.linshi.tier.expenditure.serious', 'ratio', '× urban standard per month', '支出型临时救助（较重）倍数', 'Expenditure assistance, serious: multiple of the urban standard', NULL, NULL),
    ('assistance.linshi.tier.expenditure.critical', 'ratio', '× urban standard per month', '支出型临时救助（严重）倍数', 'Expenditure assistance, critical: multiple of the urban standard', NULL, NULL),
    ('assistance.linshi.max_months', 'int', 'months', '临时救助计算月数上限', 'Most months of hardship counted', 1, 12),
    ('assistance.linshi.cap_multiple', 'ratio', '× urban standard', '临时救助单次上限（城市低保标准倍数），超过须一事一议', 'Temporary assistance cap (multiple of the urban standard); above it a collective decision', NULL, NULL),
    ('assistance.linshi.town_limit_multiple', 'ratio', '× urban standard', '乡镇（街道）审批及小金额先行救助额度（城市低保标准倍数）', 'Town approval and pay-first limit (multiple of the urban standard)', NULL, NULL);

INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('cq.tekun.care.self', '0', '2021-07-01', 'minsheng placeholder', 'placeholder: Chongqing care subsidy amounts not found (rules.md §1.7 [U])', '2026-11-29T00:00:00.000Z', 'migration'),
    ('cq.tekun.care.partial', '20000', '2021-07-01', 'minsheng placeholder', 'placeholder: Chongqing care subsidy amounts not found (rules.md §1.7 [U])', '2026-11-29T00:00:00.000Z', 'migration'),
    ('cq.tekun.care.full', '60000', '2021-07-01', 'minsheng placeholder', 'placeholder: Chongqing care subsidy amounts not found (rules.md §1.7 [U])', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.adl_full_loss_min', '4', '2021-07-01', '特困人员认定办法 第二十一、二十二条', '0 items not met: self-care; 1-3: partial; 4 or more: full', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.age_elderly_min', '60', '2021-07-01', '特困人员认定办法', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.age_minor_below', '16', '2021-07-01', '特困人员认定办法', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.minor_until_age', '18', '2021-07-01', '特困人员认定办法', 'longer while in compulsory, high-school or secondary vocational education', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.disability.intellectual_max_grade', '3', '2021-07-01', '特困人员认定办法', 'grade 1-3', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.disability.mental_max_grade', '3', '2021-07-01', '特困人员认定办法', 'grade 1-3', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.disability.physical_max_grade', '2', '2021-07-01', '特困人员认定办法', 'grade 1-2', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.disability.visual_max_grade', '1', '2021-07-01', '特困人员认定办法', 'grade 1', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.asset.deposit_months', '24', '2021-07-01', 'minsheng placeholder', 'placeholder: the local 特困 asset limits were not found (rules.md §1.8) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.asset.max_houses', '1', '2021-07-01', 'minsheng placeholder', 'placeholder: the local 特困 asset limits were not found (rules.md §1.8) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.asset.max_vehicles', '0', '2021-07-01', 'minsheng placeholder', 'placeholder: the local 特困 asset limits were not found (rules.md §1.8) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.supporter.dibao_age_min', '60', '2021-07-01', '特困人员认定办法', 'a dibao recipient aged 60 or over', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.supporter.age_min', '70', '2021-07-01', '特困人员认定办法', 'aged 70 or over (or severely disabled), income below last year''s per-capita disposable income, assets within the low-income limits', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.tekun.start_months_after_decision', '1', '2021-07-01', '特困人员认定办法 (自批准之日下月起)', 'rules.md §1.8', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.linshi.start_months_after_decision', '0', '2014-05-01', '社会救助暂行办法 (one-off payment)', 'paid once, for the decision month', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.linshi.tier.emergency.general', '1', '2018-01-23', 'minsheng placeholder', 'placeholder: Chongqing tiers not found (rules.md §1.10 [U])', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.linshi.tier.emergency.serious', '2', '2018-01-23', 'minsheng placeholder', 'placeholder: Chongqing tiers not found (rules.md §1.10 [U])', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.linshi.tier.emergency.critical', '3', '2018-01-23', 'minsheng placeholder', 'placeholder: Chongqing tiers not found (rules.md §1.10 [U])', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.linshi.tier.expenditure.general', '1', '2018-01-23', 'minsheng placeholder', 'placeholder: Chongqing tiers not found (rules.md §1.10 [U])', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.linshi.tier.expenditure.serious', '1.5', '2018-01-23', 'minsheng placeholder', 'placeholder: Chongqing tiers not found (rules.md §1.10 [U])', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.linshi.tier.expenditure.critical', '2', '2018-01-23', 'minsheng placeholder', 'placeholder: Chongqing tiers not found (rules.md §1.10 [U])', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.linshi.max_months', '6', '2018-01-23', 'minsheng placeholder', 'placeholder: Chongqing duration rule not found (rules.md §1.10 [U])', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.linshi.cap_multiple', '12', '2018-01-23', 'minsheng placeholder', 'placeholder: Chongqing cap not found (rules.md §1.10 [U]); above it 一事一议', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.linshi.town_limit_multiple', '2', '2018-01-23', 'minsheng placeholder', 'placeholder: the town approval limit is set locally and was not found (rules.md §1.10 [U])', '2026-11-29T00:00:00.000Z', 'migration'),
    ('nat.rigid.income_ceiling', '4100000', '2026-01-01', 'minsheng placeholder (Chongqing 2025 per-capita disposable income, about 41,000 yuan)', 'placeholder: the published figure was not checked [U]; used by 特困 supporters and 支出型临时救助', '2026-11-29T00:00:00.000Z', 'migration');
