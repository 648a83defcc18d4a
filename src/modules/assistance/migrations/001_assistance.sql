-- Social assistance (issue #5, first increment; docs/assistance.md; rules.md §1):
-- applications with their household snapshot, the computation, decisions,
-- enrolments, payment runs and lines, and the recovery ledger.
--
-- The household for assistance is not the hukou household (rules.md §1.1,
-- §1.11: 分户 and 单人保 exist), so an application lists its own members,
-- each with whether they count and why not. Money is BIGINT fen. Bank
-- account numbers are sealed like ID numbers (registry_seal(), field
-- "bank_account"); only the last four digits are kept in clear, for screens.

CREATE TABLE assistance_schemes (
    code      TEXT PRIMARY KEY,
    title_zh  TEXT NOT NULL,
    title_en  TEXT NOT NULL
);
INSERT INTO assistance_schemes (code, title_zh, title_en) VALUES
    ('dibao', '最低生活保障', 'Minimum living allowance'),
    ('tekun', '特困人员救助供养', 'Extreme poverty support'),
    ('linshi', '临时救助', 'Temporary assistance');

-- A case's states and the moves between them are data, not a CHECK, so the
-- next increment (home visit, town review, publicity, objections; rules.md
-- §1.5) adds rows here instead of rebuilding the table. is_open: the case
-- still holds its members (a counted member cannot be in a second open case
-- of the same scheme).
CREATE TABLE assistance_states (
    state     TEXT PRIMARY KEY,
    title_zh  TEXT NOT NULL,
    title_en  TEXT NOT NULL,
    is_open   INTEGER NOT NULL CHECK (is_open IN (0, 1))
);
INSERT INTO assistance_states (state, title_zh, title_en, is_open) VALUES
    ('draft', '已受理', 'accepted', 1),
    ('computed', '已核算', 'computed', 1),
    ('approved', '已批准', 'approved', 1),
    ('refused', '不予批准', 'refused', 0),
    ('enrolled', '已纳入保障', 'enrolled', 1);

CREATE TABLE assistance_transitions (
    from_state TEXT NOT NULL REFERENCES assistance_states (state),
    action     TEXT NOT NULL,
    to_state   TEXT NOT NULL REFERENCES assistance_states (state),
    PRIMARY KEY (from_state, action)
);
INSERT INTO assistance_transitions (from_state, action, to_state) VALUES
    ('draft', 'compute', 'computed'),
    ('computed', 'compute', 'computed'),
    ('computed', 'approve', 'approved'),
    ('computed', 'refuse', 'refused'),
    ('approved', 'enrol', 'enrolled');

CREATE TABLE assistance_cases (
    id                  {{pk}},
    scheme              TEXT NOT NULL REFERENCES assistance_schemes (code),
    household_id        BIGINT NOT NULL REFERENCES households (id),
    applicant_id        BIGINT NOT NULL REFERENCES residents (id),
    region_code         TEXT NOT NULL CHECK (length(region_code) = 12), -- the household's; the scope
    area                TEXT NOT NULL CHECK (area IN ('urban', 'rural')), -- which standard applies
    is_single_person    INTEGER NOT NULL DEFAULT 0 CHECK (is_single_person IN (0, 1)), -- 单人保 §1.1
    applied_on          TEXT NOT NULL,           -- YYYY-MM-DD
    income_period       TEXT NOT NULL,           -- YYYY-MM, the month before applying (§1.2)
    status              TEXT NOT NULL REFERENCES assistance_states (state),
    bank_account_sealed TEXT NOT NULL DEFAULT '',
    bank_account_last4  TEXT NOT NULL DEFAULT '',
    bank_name           TEXT NOT NULL DEFAULT '',
    -- The last computation (assistance_calc()), on computed_on's standard.
    computed_on         TEXT NOT NULL DEFAULT '',
    standard_fen        BIGINT NOT NULL DEFAULT 0,
    members_counted     INTEGER NOT NULL DEFAULT 0,
    income_fen          BIGINT NOT NULL DEFAULT 0,
    per_capita_fen      BIGINT NOT NULL DEFAULT 0,
    base_fen            BIGINT NOT NULL DEFAULT 0,
    topup_fen           BIGINT NOT NULL DEFAULT 0,
    amount_fen          BIGINT NOT NULL DEFAULT 0,
    is_eligible         INTEGER NOT NULL DEFAULT 0,
    reasons_json        TEXT NOT NULL DEFAULT '[]',
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX assistance_cases_region ON assistance_cases (region_code, status);
CREATE INDEX assistance_cases_household ON assistance_cases (household_id);

CREATE TABLE assistance_members (
    id                {{pk}},
    case_id           BIGINT NOT NULL REFERENCES assistance_cases (id),
    resident_id       BIGINT NOT NULL REFERENCES residents (id),
    relation          TEXT NOT NULL,            -- to the applicant: self, spouse, child, ...
    is_counted        INTEGER NOT NULL CHECK (is_counted IN (0, 1)),
    exclusion_reason  TEXT NOT NULL DEFAULT '', -- §1.1, required when not counted
    disability_grade  INTEGER NOT NULL DEFAULT 0 CHECK (disability_grade BETWEEN 0 AND 4),
    has_major_illness INTEGER NOT NULL DEFAULT 0 CHECK (has_major_illness IN (0, 1)),
    is_student        INTEGER NOT NULL DEFAULT 0 CHECK (is_student IN (0, 1)),
    UNIQUE (case_id, resident_id)
);

-- A person counts in at most one open case per scheme ("members in two
-- households"): the primary key is the guard, on both engines and under
-- concurrent applications. Rows go when the case closes (refused).
CREATE TABLE assistance_counted (
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    scheme      TEXT NOT NULL REFERENCES assistance_schemes (code),
    case_id     BIGINT NOT NULL REFERENCES assistance_cases (id),
    PRIMARY KEY (resident_id, scheme)
);

-- Declared income per member and kind (§1.2; the kinds and which of them
-- count are in assistance_calc.c). months: 1 for the month before applying,
-- cq.dibao.agri_income_months for farming income (重庆低保条例 第十二条).
CREATE TABLE assistance_incomes (
    id          {{pk}},
    case_id     BIGINT NOT NULL REFERENCES assistance_cases (id),
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    kind        TEXT NOT NULL,
    amount_fen  BIGINT NOT NULL CHECK (amount_fen >= 0),
    months      INTEGER NOT NULL CHECK (months BETWEEN 1 AND 12)
);
CREATE INDEX assistance_incomes_case ON assistance_incomes (case_id);

-- Assets (§1.3); resident_id NULL for the household's.
CREATE TABLE assistance_assets (
    id          {{pk}},
    case_id     BIGINT NOT NULL REFERENCES assistance_cases (id),
    resident_id BIGINT REFERENCES residents (id),
    kind        TEXT NOT NULL,
    value_fen   BIGINT NOT NULL CHECK (value_fen >= 0),
    quantity    INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 0),
    is_exempt   INTEGER NOT NULL DEFAULT 0 CHECK (is_exempt IN (0, 1)),
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assistance_assets_case ON assistance_assets (case_id);

-- Rigid expenses with their receipt (§1.9, §1.11), kept for the
-- rigid-expenditure determination of a later increment.
CREATE TABLE assistance_expenses (
    id          {{pk}},
    case_id     BIGINT NOT NULL REFERENCES assistance_cases (id),
    resident_id BIGINT REFERENCES residents (id),
    kind        TEXT NOT NULL CHECK (kind IN ('medical', 'education', 'rehabilitation', 'other')),
    amount_fen  BIGINT NOT NULL CHECK (amount_fen >= 0),
    receipt_ref TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assistance_expenses_case ON assistance_expenses (case_id);

-- Every transition of a case, with who and why; never edited.
CREATE TABLE assistance_case_events (
    id          {{pk}},
    case_id     BIGINT NOT NULL REFERENCES assistance_cases (id),
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    action      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX assistance_case_events_case ON assistance_case_events (case_id, id);

CREATE TABLE assistance_decisions (
    id           {{pk}},
    case_id      BIGINT NOT NULL UNIQUE REFERENCES assistance_cases (id),
    decision     TEXT NOT NULL CHECK (decision IN ('approve', 'refuse')),
    reason_zh    TEXT NOT NULL,
    decided_on   TEXT NOT NULL,             -- its standard is the one used
    standard_fen BIGINT NOT NULL,
    amount_fen   BIGINT NOT NULL,
    decided_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

-- What is paid each month. Periods of one household and scheme never
-- overlap (a change ends one enrolment the month before the next starts);
-- end_period '' is open. case_id is NULL for recipients taken over from
-- before the platform (issue #5 item 8).
CREATE TABLE assistance_enrolments (
    id                  {{pk}},
    household_id        BIGINT NOT NULL REFERENCES households (id),
    scheme              TEXT NOT NULL REFERENCES assistance_schemes (code),
    case_id             BIGINT REFERENCES assistance_cases (id),
    payee_resident_id   BIGINT NOT NULL REFERENCES residents (id),
    amount_fen          BIGINT NOT NULL CHECK (amount_fen > 0),
    start_period        TEXT NOT NULL,    -- YYYY-MM
    end_period          TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL CHECK (status IN ('active', 'stopped')),
    bank_account_sealed TEXT NOT NULL DEFAULT '',
    bank_name           TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL
);
CREATE UNIQUE INDEX assistance_enrolments_active ON assistance_enrolments (household_id, scheme)
    WHERE status = 'active';
CREATE INDEX assistance_enrolments_scheme ON assistance_enrolments (scheme, household_id);

-- One run per scheme and period; a second invocation (rerun, resume after a
-- crash, a concurrent run) works in the same run.
CREATE TABLE assistance_payment_runs (
    id          {{pk}},
    scheme      TEXT NOT NULL REFERENCES assistance_schemes (code),
    period      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('running', 'done')),
    lines       BIGINT NOT NULL DEFAULT 0,
    total_fen   BIGINT NOT NULL DEFAULT 0,
    started_at  TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    finished_at TEXT NOT NULL DEFAULT '',
    UNIQUE (scheme, period)
);

-- Each bank file written: its number is the key, so two exports at once
-- never share one (assistance_bank_export()).
CREATE TABLE assistance_bank_exports (
    id          {{pk}},
    scheme      TEXT NOT NULL,
    period      TEXT NOT NULL,
    lines       BIGINT NOT NULL DEFAULT 0,
    total_fen   BIGINT NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);

-- Money must never be paid twice (DESIGN). A run writes issue 1 of each
-- (household, scheme, period): the UNIQUE key makes a rerun, a resumed run
-- and a concurrent run insert nothing twice. A line the bank returns as
-- failed is re-issued as issue n+1 referring to it; the partial index keeps
-- at most one line per (household, scheme, period) that is not failed, so
-- two successful payments of one month cannot exist.
CREATE TABLE assistance_payment_lines (
    id                  {{pk}},
    run_id              BIGINT NOT NULL REFERENCES assistance_payment_runs (id),
    enrolment_id        BIGINT NOT NULL REFERENCES assistance_enrolments (id),
    household_id        BIGINT NOT NULL REFERENCES households (id),
    scheme              TEXT NOT NULL,
    period              TEXT NOT NULL,
    issue_no            INTEGER NOT NULL DEFAULT 1,
    reissue_of          BIGINT REFERENCES assistance_payment_lines (id),
    amount_fen          BIGINT NOT NULL CHECK (amount_fen > 0),
    bank_account_sealed TEXT NOT NULL DEFAULT '',
    bank_name           TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL CHECK (status IN ('pending', 'exported', 'paid', 'failed')),
    export_no           BIGINT REFERENCES assistance_bank_exports (id),
    result_reason       TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (household_id, scheme, period, issue_no)
);
CREATE UNIQUE INDEX assistance_payment_lines_live
    ON assistance_payment_lines (household_id, scheme, period) WHERE status <> 'failed';
CREATE INDEX assistance_payment_lines_run ON assistance_payment_lines (run_id, status);
CREATE INDEX assistance_payment_lines_period ON assistance_payment_lines (scheme, period, status);
CREATE INDEX assistance_payment_lines_export ON assistance_payment_lines (export_no, id);

-- Overpayments to recover (rules.md §1.6 fraud; issue #5 item 6): one row per
-- payment line at most, so detection can run again and again.
CREATE TABLE assistance_recoveries (
    id           {{pk}},
    line_id      BIGINT NOT NULL UNIQUE REFERENCES assistance_payment_lines (id),
    household_id BIGINT NOT NULL REFERENCES households (id),
    resident_id  BIGINT NOT NULL REFERENCES residents (id),
    scheme       TEXT NOT NULL,
    period       TEXT NOT NULL,
    amount_fen   BIGINT NOT NULL,
    reason       TEXT NOT NULL CHECK (reason IN ('paid_after_death')),
    death_date   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'recovered', 'waived')),
    detected_at  TEXT NOT NULL,
    detected_by  TEXT NOT NULL
);

INSERT INTO permissions (name, title_zh, title_en) VALUES
    ('assistance:case:read', '查看社会救助申请', 'View social-assistance cases'),
    ('assistance:case:write', '受理和核算社会救助申请', 'Take and compute social-assistance applications'),
    ('assistance:case:decide', '审批社会救助申请', 'Decide social-assistance applications'),
    ('assistance:payment:run', '生成救助金发放批次', 'Run assistance payments');

INSERT INTO role_permissions (role, permission) VALUES
    ('civil_caseworker', 'assistance:case:read'),
    ('civil_caseworker', 'assistance:case:write'),
    ('civil_caseworker', 'assistance:case:decide'),
    ('civil_caseworker', 'assistance:payment:run'),
    ('town_caseworker', 'assistance:case:read'),
    ('town_caseworker', 'assistance:case:write');

-- Parameters the Appendix A seed lacks. Values rules.md marks [U] or [S] are
-- placeholders, said so in their note, to be replaced by `policy set` when
-- the bureau confirms them (Appendix B lists them as not found).
INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('assistance.income.exclude_resident_pension', 'int', '0/1', '城乡居民基础养老金不计入收入', 'Residents'' basic pension not counted as income', 0, 1),
    ('cq.dibao.agri_income_months', 'int', 'months', '农业收入计算月数', 'Months of farming income averaged', 1, 12),
    ('cq.dibao.topup.key.urban', 'fen', 'fen/person/month', '城市低保分类重点救助（重点对象）', 'Urban classified top-up, key members', 0, NULL),
    ('cq.dibao.topup.key.rural', 'fen', 'fen/person/month', '农村低保分类重点救助（重点对象）', 'Rural classified top-up, key members', 0, NULL),
    ('cq.dibao.topup.disabled', 'fen', 'fen/person/month', '低保分类施保（残疾人）', 'Classified top-up, disabled members', 0, NULL),
    ('cq.dibao.topup.severe_disability_grade', 'int', 'grade', '重点救助的残疾等级上限（1–2 级）', 'Highest disability grade counted as severe', 1, 4),
    ('cq.dibao.topup.age_min', 'int', 'years', '重点救助的老年人年龄', 'Age from which a member is a key member', 0, 150),
    ('cq.dibao.topup.preschool_age_below', 'int', 'years', '学龄前儿童年龄上限（不含）', 'Age below which a child is pre-school', 0, 18),
    ('assistance.asset.deposit_months', 'int', 'months of standard per person', '存款等金融资产上限（人均标准月数）', 'Financial assets limit, months of the standard per person', 0, 1200),
    ('assistance.asset.max_houses', 'int', 'houses', '住房套数上限', 'Most houses a household may own', 0, 100),
    ('assistance.asset.max_vehicles', 'int', 'vehicles', '机动车辆上限（残疾人代步车除外）', 'Most motor vehicles (disability vehicles exempt)', 0, 100),
    ('assistance.dibao.start_months_after_decision', 'int', 'months', '低保金自批准后第几个月起发放', 'Months after the decision month that payment starts', 0, 1),
    ('assistance.means_check_months', 'int', 'months', '家庭经济状况核对回溯月数', 'Months of linked department data in the means check', 1, 60);
INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('assistance.income.exclude_resident_pension', '1', '2021-07-01', '最低生活保障审核确认办法 第十三条', '十四五 period; whether it continues after 2025 is unverified [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('cq.dibao.agri_income_months', '12', '2016-05-01', '重庆市城乡居民最低生活保障条例 第十二条', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('cq.dibao.topup.key.urban', '4500', '2013-01-01', 'old Chongqing rule (about 2013) [S]', 'placeholder: current amount not published [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('cq.dibao.topup.key.rural', '3000', '2013-01-01', 'old Chongqing rule (about 2013) [S]', 'placeholder: current amount not published [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('cq.dibao.topup.disabled', '3000', '2013-01-01', 'old Chongqing rule (about 2013) [S]', 'placeholder: current amount not published [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('cq.dibao.topup.severe_disability_grade', '2', '2013-01-01', 'old Chongqing rule (about 2013) [S]', 'grade 1-2 severely disabled', '2026-11-29T00:00:00.000Z', 'migration'),
    ('cq.dibao.topup.age_min', '70', '2013-01-01', 'old Chongqing rule (about 2013) [S]', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('cq.dibao.topup.preschool_age_below', '6', '2013-01-01', 'minsheng assumption', 'pre-school = under 6 [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.asset.deposit_months', '24', '2016-05-01', 'minsheng placeholder', 'Chongqing asset limits not found (rules.md §1.3, Appendix B) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.asset.max_houses', '1', '2016-05-01', 'minsheng placeholder', 'Chongqing asset limits not found (rules.md §1.3, Appendix B) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.asset.max_vehicles', '0', '2016-05-01', 'minsheng placeholder', 'Chongqing asset limits not found (rules.md §1.3, Appendix B) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.dibao.start_months_after_decision', '0', '2016-05-01', '重庆市城乡居民最低生活保障条例 (从批准的当月起)', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.dibao.start_months_after_decision', '1', '2021-07-01', '最低生活保障审核确认办法 (从作出确认同意决定之日下月起)', 'rules.md §1.4: newer and national; recommended default', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.means_check_months', '12', '2016-05-01', 'minsheng default', 'not in the rules; matches the 12-month farming-income period', '2026-11-29T00:00:00.000Z', 'migration');
