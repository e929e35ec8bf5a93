import { CopySetupError } from './copy-setup-error';
import type { ConversionOptions, Converter } from './converter-types';
import { booleanConverter, floatConverter, integerConverter, numericConverter } from './number-converters';
import type { TargetColumn } from './table-columns';
import { jsonConverter, stringConverter } from './text-converters';
import { dateConverter, timestampConverter } from './time-converters';

/** How a column's converted values are written for PostgreSQL (see ConvertedValue). */
export type ColumnEncoding =
  'int2' | 'int4' | 'int8' | 'float4' | 'float8' | 'numeric' | 'bool' | 'text' | 'timestamp' | 'timestamptz' | 'date' | 'json' | 'jsonb';

export interface ColumnConversion {
  readonly convert: Converter;
  readonly encoding: ColumnEncoding;
}

/** The converter for one target column, chosen by its type; an unsupported type stops the COPY. */
export function conversionFor(column: TargetColumn, options: ConversionOptions, table: string): ColumnConversion {
  const lengthLimit = column.typmod >= 4 ? column.typmod - 4 : undefined;
  const type = column.baseType;
  switch (type) {
    case 'int2':
    case 'int4':
    case 'int8':
      return { convert: integerConverter(type, options.roundDecimals), encoding: type };
    case 'float4':
    case 'float8':
      return { convert: floatConverter(type), encoding: type };
    case 'numeric':
      return { convert: numericConverter(column.typmod, options.roundDecimals), encoding: type };
    case 'bool':
      return { convert: booleanConverter(), encoding: type };
    case 'varchar':
      return { convert: stringConverter('varchar', lengthLimit, options), encoding: 'text' };
    case 'bpchar':
      return { convert: stringConverter('char', lengthLimit, options), encoding: 'text' };
    case 'text':
      return { convert: stringConverter('text', undefined, options), encoding: 'text' };
    case 'timestamp':
    case 'timestamptz':
      return { convert: timestampConverter(type === 'timestamptz', options.timeFormat), encoding: type };
    case 'date':
      return { convert: dateConverter(), encoding: type };
    case 'json':
    case 'jsonb':
      return { convert: jsonConverter(), encoding: type };
    default:
      throw new CopySetupError(
        `COPY ${table}: column "${column.name}" has type ${column.displayType}, which the COPY emulation does not load ` +
          '(it loads integers, floats, numeric, boolean, char/varchar/text, date, timestamp[tz] and json/jsonb)',
      );
  }
}
