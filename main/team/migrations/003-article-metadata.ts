/**
 * Team schema version 3: an article's title, outlet, URL and date are shared
 * and editable by any member, each field settled by the later edit (its time
 * in `<field>_at`; '' for a field nobody has edited since the article came).
 * The text, and so the hash, still never changes. Never edit once shipped.
 */
export const migration003 = String.raw`
ALTER TABLE claimdesk.articles
  ADD COLUMN title_at text NOT NULL DEFAULT '',
  ADD COLUMN outlet_at text NOT NULL DEFAULT '',
  ADD COLUMN url_at text NOT NULL DEFAULT '',
  ADD COLUMN published_at_at text NOT NULL DEFAULT '';
GRANT UPDATE (title, title_at, outlet, outlet_at, url, url_at, published_at, published_at_at) ON claimdesk.articles TO claimdesk_analyst;
CREATE POLICY edit_metadata ON claimdesk.articles FOR UPDATE TO claimdesk_analyst USING (true) WITH CHECK (true);
`;
