/**
 * Team schema version 1: the shared tables, the two group roles and the
 * row-level security that decides who writes what. Never edit once shipped.
 *
 * Every row carries `tx`, the id of the transaction that last wrote it
 * (stamped by a trigger, so no client can forge it): a library pulls the
 * rows written since the oldest transaction still running at its previous
 * pull (see ../pull.ts). Nothing is ever deleted by a member: a deletion is
 * a tombstone (`deleted`), so it travels like any other change. Every write
 * notifies `claimdesk_changes` once per statement, which is what makes a
 * colleague's change arrive without polling.
 *
 * Who may write what, enforced here and not only by the app:
 * - `claimdesk_analyst` (every member) reads everything; inserts articles;
 *   writes annotations and links only with `annotator = claimdesk.me()`;
 *   writes claim groups, memberships and labels (shared, per-field
 *   last-writer-wins by the clients' timestamps); appends group history as
 *   itself.
 * - `claimdesk_reviewer` additionally writes the gold layer (annotator
 *   `gold`), its origins and the adjudication log.
 * No member has DELETE, nor UPDATE on identity columns (id, annotator,
 * article, author), so one analyst can neither remove nor take over another's
 * rows: such a statement fails with an error, it is not silently skipped.
 */
export const migration001 = String.raw`
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'claimdesk_analyst') THEN CREATE ROLE claimdesk_analyst NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'claimdesk_reviewer') THEN CREATE ROLE claimdesk_reviewer NOLOGIN; END IF;
END $$;
GRANT claimdesk_analyst TO claimdesk_reviewer;

CREATE TABLE claimdesk.members (
  role       name PRIMARY KEY,
  annotator  text NOT NULL UNIQUE CHECK (annotator <> '' AND lower(annotator) <> 'gold'),
  added_at   timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION claimdesk.me() RETURNS text LANGUAGE sql STABLE
  AS $f$ SELECT annotator FROM claimdesk.members WHERE role = current_user $f$;
CREATE FUNCTION claimdesk.is_reviewer() RETURNS boolean LANGUAGE sql STABLE
  AS $f$ SELECT pg_has_role(current_user, 'claimdesk_reviewer', 'MEMBER') $f$;
-- Whose layer a row may be written to by the current member.
CREATE FUNCTION claimdesk.may_write_layer(layer text) RETURNS boolean LANGUAGE sql STABLE
  AS $f$ SELECT layer = claimdesk.me() OR (layer = 'gold' AND claimdesk.is_reviewer()) $f$;

CREATE FUNCTION claimdesk.stamp() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  NEW.tx := pg_current_xact_id();
  NEW.written_by := current_user;
  RETURN NEW;
END $f$;

CREATE FUNCTION claimdesk.notify() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM pg_notify('claimdesk_changes', TG_TABLE_NAME);
  RETURN NULL;
END $f$;

CREATE TABLE claimdesk.articles (
  content_hash  text PRIMARY KEY CHECK (content_hash = encode(sha256(convert_to(text, 'UTF8')), 'hex')),
  title         text NOT NULL,
  outlet        text,
  url           text,
  published_at  text,
  file_name     text,
  byline        text,
  text          text NOT NULL,
  tx            xid8 NOT NULL DEFAULT pg_current_xact_id(),
  written_by    name NOT NULL DEFAULT current_user
);

CREATE TABLE claimdesk.labels (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  name_at         text NOT NULL,
  color           text NOT NULL,
  color_at        text NOT NULL,
  shortcut        text NOT NULL,
  shortcut_at     text NOT NULL,
  description     text NOT NULL DEFAULT '',
  description_at  text NOT NULL,
  deleted         boolean NOT NULL DEFAULT false,
  deleted_at      text NOT NULL,
  tx              xid8 NOT NULL DEFAULT pg_current_xact_id(),
  written_by      name NOT NULL DEFAULT current_user
);

CREATE TABLE claimdesk.annotations (
  id            text PRIMARY KEY,
  article_hash  text NOT NULL REFERENCES claimdesk.articles(content_hash),
  start         integer NOT NULL,
  "end"         integer NOT NULL,
  quote         text NOT NULL,
  prefix        text NOT NULL,
  suffix        text NOT NULL,
  label         text NOT NULL,
  annotator     text NOT NULL,
  note          text NOT NULL DEFAULT '',
  created_at    text NOT NULL,
  updated_at    text NOT NULL,
  deleted       boolean NOT NULL DEFAULT false,
  tx            xid8 NOT NULL DEFAULT pg_current_xact_id(),
  written_by    name NOT NULL DEFAULT current_user,
  CHECK (start >= 0 AND "end" > start)
);

CREATE TABLE claimdesk.links (
  id          text PRIMARY KEY,
  claim_id    text NOT NULL,
  source_id   text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('direct', 'paraphrase', 'unnamed')),
  annotator   text NOT NULL,
  created_at  text NOT NULL,
  deleted     boolean NOT NULL DEFAULT false,
  tx          xid8 NOT NULL DEFAULT pg_current_xact_id(),
  written_by  name NOT NULL DEFAULT current_user
);

CREATE TABLE claimdesk.groups (
  id            text PRIMARY KEY,
  canonical     text NOT NULL,
  canonical_at  text NOT NULL,
  note          text NOT NULL DEFAULT '',
  note_at       text NOT NULL,
  created_by    text NOT NULL,
  created_at    text NOT NULL,
  deleted       boolean NOT NULL DEFAULT false,
  deleted_at    text NOT NULL,
  tx            xid8 NOT NULL DEFAULT pg_current_xact_id(),
  written_by    name NOT NULL DEFAULT current_user
);

-- One row per claim ever grouped; group_id NULL: taken out of its group.
CREATE TABLE claimdesk.memberships (
  annotation_id  text PRIMARY KEY,
  group_id       text,
  added_by       text NOT NULL,
  at             text NOT NULL,
  tx             xid8 NOT NULL DEFAULT pg_current_xact_id(),
  written_by     name NOT NULL DEFAULT current_user
);

CREATE TABLE claimdesk.group_history (
  id          text PRIMARY KEY,
  group_id    text NOT NULL,
  action      text NOT NULL,
  detail      text NOT NULL DEFAULT '{}',
  actor       text NOT NULL,
  at          text NOT NULL,
  tx          xid8 NOT NULL DEFAULT pg_current_xact_id(),
  written_by  name NOT NULL DEFAULT current_user
);

CREATE TABLE claimdesk.adjudications (
  id            text PRIMARY KEY,
  article_hash  text NOT NULL REFERENCES claimdesk.articles(content_hash),
  item_key      text NOT NULL,
  kind          text NOT NULL,
  annotator_a   text NOT NULL,
  annotator_b   text NOT NULL,
  a_id          text,
  b_id          text,
  decision      text NOT NULL,
  reason        text NOT NULL DEFAULT '',
  reviewer      text NOT NULL,
  at            text NOT NULL,
  gold_ids      text NOT NULL DEFAULT '[]',
  tx            xid8 NOT NULL DEFAULT pg_current_xact_id(),
  written_by    name NOT NULL DEFAULT current_user
);

CREATE TABLE claimdesk.gold_origins (
  gold_id     text PRIMARY KEY,
  origin_id   text NOT NULL,
  deleted     boolean NOT NULL DEFAULT false,
  tx          xid8 NOT NULL DEFAULT pg_current_xact_id(),
  written_by  name NOT NULL DEFAULT current_user
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['articles', 'labels', 'annotations', 'links', 'groups', 'memberships', 'group_history', 'adjudications', 'gold_origins'] LOOP
    EXECUTE format('CREATE INDEX %I ON claimdesk.%I (tx)', t || '_by_tx', t);
    EXECUTE format('CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON claimdesk.%I FOR EACH ROW EXECUTE FUNCTION claimdesk.stamp()', t);
    EXECUTE format('CREATE TRIGGER notify AFTER INSERT OR UPDATE ON claimdesk.%I FOR EACH STATEMENT EXECUTE FUNCTION claimdesk.notify()', t);
    EXECUTE format('ALTER TABLE claimdesk.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY team_reads ON claimdesk.%I FOR SELECT TO claimdesk_analyst USING (true)', t);
  END LOOP;
END $$;

GRANT USAGE ON SCHEMA claimdesk TO claimdesk_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA claimdesk TO claimdesk_analyst;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA claimdesk TO claimdesk_analyst;

-- Articles: anyone adds one; its text never changes (the hash is its identity).
GRANT INSERT ON claimdesk.articles TO claimdesk_analyst;
CREATE POLICY add_article ON claimdesk.articles FOR INSERT TO claimdesk_analyst WITH CHECK (true);

-- Layers: each member's own, gold for reviewers.
GRANT INSERT ON claimdesk.annotations, claimdesk.links TO claimdesk_analyst;
GRANT UPDATE (start, "end", quote, prefix, suffix, label, note, updated_at, deleted) ON claimdesk.annotations TO claimdesk_analyst;
GRANT UPDATE (kind, deleted) ON claimdesk.links TO claimdesk_analyst;
CREATE POLICY own_layer_insert ON claimdesk.annotations FOR INSERT TO claimdesk_analyst WITH CHECK (claimdesk.may_write_layer(annotator));
CREATE POLICY own_layer_update ON claimdesk.annotations FOR UPDATE TO claimdesk_analyst USING (true) WITH CHECK (claimdesk.may_write_layer(annotator));
CREATE POLICY own_layer_insert ON claimdesk.links FOR INSERT TO claimdesk_analyst WITH CHECK (claimdesk.may_write_layer(annotator));
CREATE POLICY own_layer_update ON claimdesk.links FOR UPDATE TO claimdesk_analyst USING (true) WITH CHECK (claimdesk.may_write_layer(annotator));

-- Shared: groups, memberships, labels; the history is appended by its author.
GRANT INSERT ON claimdesk.groups, claimdesk.memberships, claimdesk.labels, claimdesk.group_history TO claimdesk_analyst;
GRANT UPDATE (canonical, canonical_at, note, note_at, deleted, deleted_at) ON claimdesk.groups TO claimdesk_analyst;
GRANT UPDATE (group_id, added_by, at) ON claimdesk.memberships TO claimdesk_analyst;
GRANT UPDATE (name, name_at, color, color_at, shortcut, shortcut_at, description, description_at, deleted, deleted_at) ON claimdesk.labels TO claimdesk_analyst;
CREATE POLICY shared_insert ON claimdesk.groups FOR INSERT TO claimdesk_analyst WITH CHECK (true);
CREATE POLICY shared_update ON claimdesk.groups FOR UPDATE TO claimdesk_analyst USING (true) WITH CHECK (true);
CREATE POLICY shared_insert ON claimdesk.memberships FOR INSERT TO claimdesk_analyst WITH CHECK (true);
CREATE POLICY shared_update ON claimdesk.memberships FOR UPDATE TO claimdesk_analyst USING (true) WITH CHECK (true);
CREATE POLICY shared_insert ON claimdesk.labels FOR INSERT TO claimdesk_analyst WITH CHECK (true);
CREATE POLICY shared_update ON claimdesk.labels FOR UPDATE TO claimdesk_analyst USING (true) WITH CHECK (true);
CREATE POLICY own_entries ON claimdesk.group_history FOR INSERT TO claimdesk_analyst WITH CHECK (actor = claimdesk.me() OR (actor = 'gold' AND claimdesk.is_reviewer()));

-- Review: reviewers only.
GRANT INSERT ON claimdesk.adjudications, claimdesk.gold_origins TO claimdesk_reviewer;
GRANT UPDATE (origin_id, deleted) ON claimdesk.gold_origins TO claimdesk_reviewer;
CREATE POLICY reviewer_decides ON claimdesk.adjudications FOR INSERT TO claimdesk_reviewer WITH CHECK (reviewer = claimdesk.me());
CREATE POLICY reviewer_insert ON claimdesk.gold_origins FOR INSERT TO claimdesk_reviewer WITH CHECK (true);
CREATE POLICY reviewer_update ON claimdesk.gold_origins FOR UPDATE TO claimdesk_reviewer USING (true) WITH CHECK (true);
`;
