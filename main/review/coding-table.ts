/**
 * The coding table (`item,annotator,label`, CRLF) written as bytes: millions
 * of short rows built as strings cost more in concatenation and encoding
 * than in working out the figures, so each row is copied from pre-encoded
 * parts into one reused buffer, handed on in large pieces.
 */

const CRLF = [13, 10];

export class CodingTableEncoder {
  private buf = new Uint8Array(1 << 20);
  private len = 0;
  private readonly coderA: Uint8Array;
  private readonly coderB: Uint8Array;
  private readonly names = new Map<string, Uint8Array>();
  private readonly byCode: Uint8Array[] = [];
  private readonly encoder = new TextEncoder();
  /** Rows encoded so far. */
  rows = 0;

  /** `coderA` and `coderB` as they go in a CSV field (already quoted where needed); `sink` gets bytes it must consume before returning. */
  constructor(
    private readonly sink: (bytes: Uint8Array) => void,
    coderA: string,
    coderB: string,
  ) {
    this.coderA = this.encoder.encode(`,${coderA},`);
    this.coderB = this.encoder.encode(`,${coderB},`);
  }

  /** One article's rows: item `${articleId}:${token}`, A's row then B's for each token. */
  add(articleId: number, categoriesA: readonly string[], categoriesB: readonly string[]): void {
    const prefix = this.encoder.encode(`${articleId}:`);
    for (let i = 0; i < categoriesA.length; i++) {
      this.row(prefix, i, this.coderA, this.name(categoriesA[i] as string));
      this.row(prefix, i, this.coderB, this.name(categoriesB[i] as string));
    }
  }

  /** The same from category numbers (see OnCodes): no string per token. */
  addCodes(articleId: number, codesA: Int32Array, codesB: Int32Array, count: number, names: readonly string[]): void {
    const prefix = this.encoder.encode(`${articleId}:`);
    while (this.byCode.length < names.length) this.byCode.push(this.name(names[this.byCode.length] as string));
    const byCode = this.byCode;
    for (let i = 0; i < count; i++) {
      this.row(prefix, i, this.coderA, byCode[codesA[i] as number] as Uint8Array);
      this.row(prefix, i, this.coderB, byCode[codesB[i] as number] as Uint8Array);
    }
  }

  /** Hands on what is left. */
  flush(): void {
    if (this.len > 0) this.sink(this.buf.subarray(0, this.len));
    this.len = 0;
  }

  private name(category: string): Uint8Array {
    let bytes = this.names.get(category);
    if (!bytes) this.names.set(category, (bytes = this.encoder.encode(category)));
    return bytes;
  }

  private row(prefix: Uint8Array, token: number, coder: Uint8Array, category: Uint8Array): void {
    const need = prefix.length + 10 + coder.length + category.length + 2;
    if (this.len + need > this.buf.length) {
      this.flush();
      if (need > this.buf.length) this.buf = new Uint8Array(need * 2);
    }
    const buf = this.buf;
    let at = this.len;
    for (let k = 0; k < prefix.length; k++) buf[at++] = prefix[k] as number;
    // The token number's decimal digits, written backwards from its end.
    let digits = 1;
    for (let t = token; t >= 10; t = Math.floor(t / 10)) digits++;
    for (let k = digits - 1, t = token; k >= 0; k--, t = Math.floor(t / 10)) buf[at + k] = 48 + (t % 10);
    at += digits;
    for (let k = 0; k < coder.length; k++) buf[at++] = coder[k] as number;
    for (let k = 0; k < category.length; k++) buf[at++] = category[k] as number;
    buf[at++] = CRLF[0] as number;
    buf[at++] = CRLF[1] as number;
    this.len = at;
    this.rows++;
  }
}
