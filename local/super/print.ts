/**
 * A SUPER value as Redshift prints it: JSON text with no blanks between tokens, strings quoted
 * (`[1,50,null,100]`, `{"a":1,"b":true,"c":3.14}`, `"abc"`: the printed results of
 * https://docs.aws.amazon.com/redshift/latest/dg/r_array.html, r_object_function.html and
 * r_is_varchar.html). The input is PostgreSQL's jsonb output, which puts a blank after each ':'
 * and ','; its numbers are kept as written (1.0 stays 1.0, big integers stay exact), which
 * JSON.parse would not do.
 */
export function superText(jsonb: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < jsonb.length; i++) {
    const c = jsonb.charAt(i);
    if (inString) {
      out += c;
      if (c === '\\') out += jsonb.charAt(++i);
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== ' ' && c !== '\n' && c !== '\t' && c !== '\r') {
      out += c;
    }
  }
  return out;
}
