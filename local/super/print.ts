/**
 * A SUPER value as Redshift prints it: JSON text with no blanks between tokens, strings quoted
 * (`[1,50,null,100]`, `{"a":1,"b":true,"c":3.14}`, `"abc"`: the printed results of
 * https://docs.aws.amazon.com/redshift/latest/dg/r_array.html, r_object_function.html and
 * r_is_varchar.html). The input is PostgreSQL's json text, which keeps the document as written:
 * blanks are dropped, attributes stay in the document's order (r_explain_model_function.html prints
 * `{"state":...,"account_length":...}`, not sorted), numbers stay as written (1.0 stays 1.0, big
 * integers stay exact). A string is re-escaped only where JSON must escape (as the prelude's
 * JSON_SERIALIZE writes it), so `"\u00e9"` prints `"é"`. Never JSON.parse of the whole value:
 * it would reorder integer-like keys and round numbers.
 */
export function superText(json: string): string {
  let out = '';
  for (let i = 0; i < json.length; i++) {
    const c = json.charAt(i);
    if (c === '"') {
      const start = i;
      let escaped = false;
      for (i++; i < json.length && json.charAt(i) !== '"'; i++) {
        if (json.charAt(i) === '\\') {
          escaped = true;
          i++;
        }
      }
      const token = json.slice(start, i + 1);
      out += escaped ? JSON.stringify(JSON.parse(token) as string) : token;
    } else if (c !== ' ' && c !== '\n' && c !== '\t' && c !== '\r') {
      out += c;
    }
  }
  return out;
}
