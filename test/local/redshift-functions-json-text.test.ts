import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedshiftSession, type RedshiftSession } from '../support/redshift-query';

/** Redshift's JSON functions on VARCHAR, the guide's examples (values as the pages print them; an empty cell is NULL). */
let rs: RedshiftSession;
beforeAll(async () => {
  rs = await openRedshiftSession();
});
afterAll(async () => rs.dispose());

const FARM = `'{
    "farm": {
        "barn": {
            "color": "red",
            "feed stocked": true
        }
    }
}'`;

describe('JSON functions on text', () => {
  it('JSON_EXTRACT_ARRAY_ELEMENT_TEXT (https://docs.aws.amazon.com/redshift/latest/dg/JSON_EXTRACT_ARRAY_ELEMENT_TEXT.html)', async () => {
    expect(await rs.row("SELECT JSON_EXTRACT_ARRAY_ELEMENT_TEXT('[111,112,113]', 2)")).toEqual(['113']);
    expect(await rs.failure(`SELECT JSON_EXTRACT_ARRAY_ELEMENT_TEXT('["a",["b",1,["c",2,3,null,]]]',1)`)).toMatch(
      /invalid input syntax for type json/,
    );
    expect(await rs.row(`SELECT JSON_EXTRACT_ARRAY_ELEMENT_TEXT('["a",["b",1,["c",2,3,null,]]]',1,true)`)).toEqual(['NULL']);
    // "If the index is negative or out of bound, JSON_EXTRACT_ARRAY_ELEMENT_TEXT returns empty string."
    expect(
      await rs.row("SELECT JSON_EXTRACT_ARRAY_ELEMENT_TEXT('[111,112,113]', 3), JSON_EXTRACT_ARRAY_ELEMENT_TEXT('[111]', -1)"),
    ).toEqual(['', '']);
  });

  it('JSON_EXTRACT_PATH_TEXT (https://docs.aws.amazon.com/redshift/latest/dg/JSON_EXTRACT_PATH_TEXT.html)', async () => {
    expect(await rs.row(`SELECT JSON_EXTRACT_PATH_TEXT('{"f2":{"f3":1},"f4":{"f5":99,"f6":"star"}}','f4', 'f6')`)).toEqual(['star']);
    expect(await rs.failure(`SELECT JSON_EXTRACT_PATH_TEXT('{"f2":{"f3":1},"f4":{"f5":99,"f6":"star"}','f4', 'f6')`)).toMatch(
      /invalid input syntax for type json/,
    );
    expect(await rs.row(`SELECT JSON_EXTRACT_PATH_TEXT('{"f2":{"f3":1},"f4":{"f5":99,"f6":"star"}','f4', 'f6',true)`)).toEqual(['NULL']);
    expect(await rs.row(`SELECT JSON_EXTRACT_PATH_TEXT(${FARM}, 'farm', 'barn', 'color')`)).toEqual(['red']);
    expect(await rs.row(`SELECT JSON_EXTRACT_PATH_TEXT('{"farm": {"barn": {}}}', 'farm', 'barn', 'color')`)).toEqual(['NULL']);
    // An object comes back as written; PostgreSQL's json keeps the text.
    expect(await rs.row(`SELECT JSON_EXTRACT_PATH_TEXT('{"f2":{"f3":1},"f4":{"f5":99,"f6":"star"}}','f4')`)).toEqual([
      '{"f5":99,"f6":"star"}',
    ]);
  });

  it('IS_VALID_JSON: objects only (https://docs.aws.amazon.com/redshift/latest/dg/IS_VALID_JSON.html)', async () => {
    const strings = ['{"a":2}', '{"a":{"b":{"c":1}}}', '{"a": [1,2,"b"]}', '{{}}', '{1:"a"}', '[1,2,3]'];
    const got = await Promise.all(strings.map((s) => rs.row(`SELECT IS_VALID_JSON('${s}')`)));
    expect(got.flat()).toEqual(['true', 'true', 'true', 'false', 'false', 'false']);
  });

  it('IS_VALID_JSON_ARRAY (https://docs.aws.amazon.com/redshift/latest/dg/IS_VALID_JSON_ARRAY.html)', async () => {
    const strings = ['[]', '["a","b"]', '["a",["b",1,["c",2,3,null]]]', '{"a":1}', 'a', '[1,2,]'];
    const got = await Promise.all(strings.map((s) => rs.row(`SELECT IS_VALID_JSON_ARRAY('${s}')`)));
    expect(got.flat()).toEqual(['true', 'true', 'true', 'false', 'false', 'false']);
  });

  it('JSON_ARRAY_LENGTH (https://docs.aws.amazon.com/redshift/latest/dg/JSON_ARRAY_LENGTH.html)', async () => {
    expect(await rs.row(`SELECT JSON_ARRAY_LENGTH('[11,12,13,{"f1":21,"f2":[25,26]},14]')`)).toEqual(['5']);
    expect(await rs.failure(`SELECT JSON_ARRAY_LENGTH('[11,12,13,{"f1":21,"f2":[25,26]},14')`)).toMatch(
      /invalid input syntax for type json/,
    );
    expect(await rs.row(`SELECT JSON_ARRAY_LENGTH('[11,12,13,{"f1":21,"f2":[25,26]},14',true)`)).toEqual(['NULL']);
  });

  it('CAN_JSON_PARSE (https://docs.aws.amazon.com/redshift/latest/dg/CAN_JSON_PARSE.html)', async () => {
    expect(await rs.row(`SELECT CAN_JSON_PARSE('[10001,10002,"abc"]'), CAN_JSON_PARSE('[1,')`)).toEqual(['true', 'false']);
    // JSON_PARSE refuses an attribute twice in one object (super-configurations.html, Parsing options for SUPER).
    expect(await rs.row(`SELECT CAN_JSON_PARSE('{"a":1,"a":2}'), CAN_JSON_PARSE('{"a":{"a":2}}')`)).toEqual(['false', 'true']);
  });
});
