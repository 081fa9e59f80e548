/**
 * Team schema version 2: a notification says who wrote and in which
 * transaction, as JSON (`{"t": table, "by": role, "tx": xid}`), so a library
 * ignores the echo of its own push and a notification its last pull already
 * covered (the transaction is older than the position it pulled up to), and
 * pulls only when a colleague's change is new to it. Never edit once shipped.
 */
export const migration002 = String.raw`
CREATE OR REPLACE FUNCTION claimdesk.notify() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM pg_notify('claimdesk_changes', json_build_object('t', TG_TABLE_NAME, 'by', current_user, 'tx', pg_current_xact_id()::text)::text);
  RETURN NULL;
END $f$;
`;
