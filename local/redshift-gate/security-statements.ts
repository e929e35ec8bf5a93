import type { Finding } from './refusal';
import type { TokenStream } from './token-stream';

// Redshift's statements about roles, users and IAM roles that PostgreSQL's parser does not read,
// checked here against their pages of the SQL reference, then lifted (blanked in place) or
// rewritten to the PostgreSQL statement of the same meaning (same byte length, so lines and columns stay).

/** https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html, "Granting ASSUMEROLE permissions": the commands. */
const ASSUMEROLE_COMMANDS = ['all', 'copy', 'unload', 'external function', 'create model'];

/**
 * PostgreSQL's role options that CREATE USER in Redshift does not have
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_USER.html lists CREATEDB, CREATEUSER,
 * SYSLOG ACCESS, IN GROUP, VALID UNTIL, CONNECTION LIMIT, SESSION TIMEOUT, EXTERNALID).
 */
const POSTGRES_ONLY_USER_OPTIONS = new Set([
  'superuser',
  'nosuperuser',
  'login',
  'nologin',
  'createrole',
  'nocreaterole',
  'inherit',
  'noinherit',
  'replication',
  'noreplication',
  'bypassrls',
  'nobypassrls',
  'role',
  'admin',
  'sysid',
  'encrypted',
]);

/**
 * Checks and lifts one statement (tokens first..last) when it is one of: CREATE ROLE, CREATE USER, ALTER USER,
 * GRANT/REVOKE ASSUMEROLE (blanked: nothing of them is PostgreSQL), GRANT/REVOKE ROLE and a
 * grantee written `ROLE name` (the word ROLE blanked: PostgreSQL names roles bare). True when the
 * statement was blanked whole.
 */
export function liftSecurityStatement(tokens: TokenStream, first: number, last: number, findings: Finding[]): boolean {
  const word = (k: number) => (k <= last ? tokens.word(k) : '');
  const lead = word(first);
  if (lead === 'create' && word(first + 1) === 'role') {
    // CREATE ROLE role_name [ EXTERNALID external_id ] (r_CREATE_ROLE.html)
    const shape = last === first + 2 || (last === first + 4 && word(first + 3) === 'externalid');
    if (!shape)
      findings.push({
        construct: 'CREATE ROLE with clauses other than EXTERNALID',
        at: tokens.start(first),
        instead: 'CREATE ROLE role_name [ EXTERNALID external_id ]',
      });
    tokens.blank(first, last);
    return true;
  }
  if (lead === 'create' && word(first + 1) === 'user') {
    checkCreateUser(tokens, first, last, findings);
    tokens.blank(first, last);
    return true;
  }
  if (lead === 'alter' && word(first + 1) === 'user') {
    checkAlterUser(tokens, first, last, findings);
    tokens.blank(first, last);
    return true;
  }
  if ((lead === 'grant' || lead === 'revoke') && word(first + 1) === 'assumerole') {
    checkAssumeRole(tokens, first, last, findings);
    tokens.blank(first, last);
    return true;
  }
  if (lead === 'grant' || lead === 'revoke' || (lead === 'alter' && word(first + 1) === 'default' && word(first + 2) === 'privileges')) {
    // GRANT { ROLE role_name } [, ...] TO ... and REVOKE { ROLE role_name } [, ...] FROM ...
    if (word(first + 1) === 'role') {
      for (let k = first + 1; k <= last && !['to', 'from'].includes(word(k)); k++) if (word(k) === 'role') tokens.blank(k, k);
    }
    // TO { username | ROLE role_name | GROUP group_name | PUBLIC } [, ...], FROM likewise
    let depth = 0;
    let grantees = false;
    for (let k = first; k <= last; k++) {
      const w = word(k);
      if (w === '(') depth++;
      else if (w === ')') depth--;
      else if (depth === 0 && (w === 'to' || w === 'from')) grantees = true;
      else if (grantees && depth === 0 && w === 'role' && ['to', 'from', ','].includes(word(k - 1))) tokens.blank(k, k);
    }
  }
  return false;
}

/** CREATE USER name [ WITH ] PASSWORD { 'password' | 'md5hash' | 'sha256hash' | DISABLE } [ option [ ... ] ] */
function checkCreateUser(tokens: TokenStream, first: number, last: number, findings: Finding[]): void {
  let k = first + 3;
  if (tokens.word(k) === 'with') k++;
  const password = tokens.word(k) === 'password' && (tokens.word(k + 1) === 'disable' || tokens.text(k + 1).startsWith("'"));
  if (!password) {
    findings.push({
      construct: 'CREATE USER without PASSWORD',
      at: tokens.start(first),
      instead: "CREATE USER name PASSWORD { 'password' | DISABLE } [ option ... ]",
    });
    return;
  }
  for (let j = k + 2; j <= last; j++) {
    if (!POSTGRES_ONLY_USER_OPTIONS.has(tokens.word(j))) continue;
    findings.push({
      construct: `CREATE USER option ${tokens.text(j).toUpperCase()}`,
      at: tokens.start(j),
      instead: 'the options of CREATE USER (r_CREATE_USER.html)',
    });
    return;
  }
}

/**
 * ALTER USER username [ WITH ] option [, ... ] (https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_USER.html):
 * CREATEDB | NOCREATEDB | CREATEUSER | NOCREATEUSER | SYSLOG ACCESS { RESTRICTED | UNRESTRICTED }
 * | PASSWORD { 'password' | DISABLE } [ VALID UNTIL 'date' ] | RENAME TO new_name | CONNECTION LIMIT
 * { limit | UNLIMITED } | SESSION TIMEOUT limit | RESET SESSION TIMEOUT | SET parameter { TO | = }
 * { value | DEFAULT } | RESET parameter | EXTERNALID external_id | NOLOGIN | LOGIN PASSWORD 'password'.
 */
function checkAlterUser(tokens: TokenStream, first: number, last: number, findings: Finding[]): void {
  const word = (k: number) => (k <= last ? tokens.word(k) : '');
  const quoted = (k: number) => k <= last && tokens.text(k).startsWith("'");
  const count = (k: number) => /^\d+$/.test(word(k));
  let k = first + 3;
  if (word(k) === 'with') k++;
  if (k > last) k = first;
  while (k <= last) {
    const w = word(k);
    let next = 0;
    if (k > first + 2 && w === ',') next = k + 1;
    else if (['createdb', 'nocreatedb', 'createuser', 'nocreateuser', 'nologin'].includes(w)) next = k + 1;
    else if (w === 'syslog' && word(k + 1) === 'access' && ['restricted', 'unrestricted'].includes(word(k + 2))) next = k + 3;
    else if (w === 'password' && (word(k + 1) === 'disable' || quoted(k + 1)))
      next = word(k + 2) === 'valid' && word(k + 3) === 'until' && quoted(k + 4) ? k + 5 : k + 2;
    else if (w === 'login' && word(k + 1) === 'password' && quoted(k + 2)) next = k + 3;
    else if (w === 'rename' && word(k + 1) === 'to' && k + 2 <= last) next = k + 3;
    else if (w === 'connection' && word(k + 1) === 'limit' && (word(k + 2) === 'unlimited' || count(k + 2))) next = k + 3;
    else if (w === 'session' && word(k + 1) === 'timeout' && count(k + 2)) next = k + 3;
    else if (w === 'reset' && word(k + 1) === 'session' && word(k + 2) === 'timeout') next = k + 3;
    // SET and RESET of a parameter end the statement: the value may hold commas (search_path).
    else if ((w === 'set' && ['to', '='].includes(word(k + 2)) && k + 3 <= last) || (w === 'reset' && k + 1 <= last)) next = last + 1;
    else if (w === 'externalid' && k + 1 <= last) next = k + 2;
    if (!next) {
      findings.push({
        construct: k === first ? 'ALTER USER without an option' : `ALTER USER option ${tokens.text(k).toUpperCase()}`,
        at: tokens.start(k),
        instead: 'the options of ALTER USER (r_ALTER_USER.html)',
      });
      return;
    }
    k = next;
  }
}

/** { GRANT | REVOKE } ASSUMEROLE ON { 'iam_role' [, ...] | default | ALL } { TO | FROM } grantees FOR { ALL | COPY | ... } [, ...] */
function checkAssumeRole(tokens: TokenStream, first: number, last: number, findings: Finding[]): void {
  const refuse = (k: number, construct: string): void => {
    findings.push({
      construct,
      at: tokens.start(k),
      instead: `${tokens.word(first).toUpperCase()} ASSUMEROLE ON { 'iam_role' [, ...] | default | ALL } ${tokens.word(first) === 'grant' ? 'TO' : 'FROM'} { username | ROLE role_name | GROUP group_name | PUBLIC } [, ...] FOR { ALL | COPY | UNLOAD | EXTERNAL FUNCTION | CREATE MODEL } [, ...]`,
    });
  };
  if (tokens.word(first + 2) !== 'on') return refuse(first, 'ASSUMEROLE without ON');
  let k = first + 3;
  if (['default', 'all'].includes(tokens.word(k))) k++;
  else {
    while (tokens.text(k).startsWith("'")) k += tokens.word(k + 1) === ',' ? 2 : 1;
    if (k === first + 3) return refuse(k, `ASSUMEROLE ON ${tokens.text(k)}`);
  }
  const direction = tokens.word(first) === 'grant' ? 'to' : 'from';
  if (tokens.word(k) !== direction) return refuse(k, `ASSUMEROLE ... ${tokens.text(k).toUpperCase()}`);
  let forAt = -1;
  for (let j = k + 1; j <= last; j++) if (tokens.word(j) === 'for') forAt = j;
  if (forAt < 0 || forAt === k + 1) return refuse(k, 'ASSUMEROLE without grantees and FOR');
  const commands = [];
  let current: string[] = [];
  for (let j = forAt + 1; j <= last; j++) {
    if (tokens.word(j) === ',') {
      commands.push(current.join(' '));
      current = [];
    } else current.push(tokens.word(j));
  }
  commands.push(current.join(' '));
  const unknown = commands.find((command) => !ASSUMEROLE_COMMANDS.includes(command));
  if (unknown !== undefined) refuse(forAt, `ASSUMEROLE FOR ${unknown.toUpperCase() || '(nothing)'}`);
}
