import { execFile } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

// pdfjs-dist is an ES module: it runs in a node of its own, outside Jest's CommonJS sandbox.
const EXTRACT = `
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const standardFontDataUrl = new URL('node_modules/pdfjs-dist/standard_fonts/', 'file://' + process.cwd() + '/').href;
const pdf = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), isEvalSupported: false, standardFontDataUrl }).promise;
let text = '';
for (let n = 1; n <= pdf.numPages; n++) {
  const content = await (await pdf.getPage(n)).getTextContent();
  text += content.items.map((item) => item.str + (item.hasEOL ? '\\n' : '')).join('') + '\\n';
}
process.stdout.write(text);
`;

/** The text of a PDF as Mozilla's PDF.js reads it, whitespace collapsed: what a certificate says. */
export function pdfText(pdf: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['--input-type=module', '-e', EXTRACT], { cwd: root, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${error.message}\n${stderr}`));
      resolve(stdout.replace(/\s+/g, ' ').trim());
    });
    child.stdin!.end(pdf);
  });
}
