import { ValidationError } from '@cnrms/decider';

/** C0 and C1 control characters, DEL included; tab, line feed and carriage return are ordinary text. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * Refuses a command input holding a control character in any of its texts (U+0000 cannot even be
 * stored by PostgreSQL), before anything is written. The error names the field, never its value.
 */
export function refuseControlCharacters(input: unknown, path = ''): void {
  if (typeof input === 'string') {
    if (CONTROL.test(input)) {
      throw new ValidationError('CONTROL_CHARACTER', `Le champ « ${path || 'saisie'} » contient un caractère de contrôle invisible : retirez-le et recommencez.`, path || undefined);
    }
  } else if (Array.isArray(input)) {
    input.forEach((item, index) => refuseControlCharacters(item, `${path}[${index}]`));
  } else if (input !== null && typeof input === 'object') {
    for (const [key, value] of Object.entries(input)) refuseControlCharacters(value, path ? `${path}.${key}` : key);
  }
}
