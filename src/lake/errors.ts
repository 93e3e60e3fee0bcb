/**
 * A problem that stops an import as a whole (nothing is written): an unreadable file, corrupt
 * gzip, data that is not JSON text, a file without a single recognisable record.
 * Bad lines inside an otherwise good file are not errors; they are counted in the report.
 */
export class LakeImportError extends Error {
  file?: string;

  constructor(message: string, file?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LakeImportError';
    if (file !== undefined) this.file = file;
  }
}
