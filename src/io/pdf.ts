/**
 * PDF documents with pdfmake (declarative layout, tables, page breaks) and its bundled Roboto, which
 * covers Vietnamese. Modules build a document definition (see the `pdf*` helpers below for the
 * common pieces) and call `renderPdf`, which returns the finished file. No file or URL outside the
 * document is ever read: images come in as data URLs.
 *
 * Official documents (handover minutes, donor statements: forms an office files) are set in Tinos, the
 * free font with the metrics of Times New Roman that such forms expect, with full Vietnamese coverage;
 * it comes from the npm package @expo-google-fonts/tinos (the whole TTF files; the Fontsource packages
 * split a font into per-script subsets pdfmake cannot combine). `renderPdf(doc, { official: true })`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Content, TDocumentDefinitions, TableCell } from 'pdfmake/interfaces';

export type { Content, TDocumentDefinitions, TableCell };

const require = createRequire(import.meta.url);

interface PdfMake {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(callback: (url: string) => boolean): void;
  setLocalAccessPolicy(callback: (path: string) => boolean): void;
  createPdf(doc: TDocumentDefinitions): { getBuffer(): Promise<Buffer> };
}

let instance: PdfMake | null = null;

function pdfmake(): PdfMake {
  if (instance) return instance;
  const made = require('pdfmake') as PdfMake;
  const fontDir = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'build', 'fonts', 'Roboto');
  const fonts = {
    normal: path.join(fontDir, 'Roboto-Regular.ttf'),
    bold: path.join(fontDir, 'Roboto-Medium.ttf'),
    italics: path.join(fontDir, 'Roboto-Italic.ttf'),
    bolditalics: path.join(fontDir, 'Roboto-MediumItalic.ttf'),
  };
  const tinosDir = path.dirname(require.resolve('@expo-google-fonts/tinos/package.json'));
  const tinos = {
    normal: path.join(tinosDir, '400Regular', 'Tinos_400Regular.ttf'),
    bold: path.join(tinosDir, '700Bold', 'Tinos_700Bold.ttf'),
    italics: path.join(tinosDir, '400Regular_Italic', 'Tinos_400Regular_Italic.ttf'),
    bolditalics: path.join(tinosDir, '700Bold_Italic', 'Tinos_700Bold_Italic.ttf'),
  };
  made.setFonts({ Roboto: fonts, Tinos: tinos });
  const allowed = new Set([...Object.values(fonts), ...Object.values(tinos)]);
  made.setUrlAccessPolicy(() => false);
  made.setLocalAccessPolicy((p) => allowed.has(p));
  instance = made;
  return made;
}

/**
 * Renders a document to a PDF file in memory (A4, Roboto 10 pt unless the definition says otherwise; an
 * official document in Tinos 11 pt, Times New Roman's metrics).
 */
export async function renderPdf(doc: TDocumentDefinitions, options: { official?: boolean } = {}): Promise<Buffer> {
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 48],
    ...doc,
    defaultStyle: { font: options.official ? 'Tinos' : 'Roboto', fontSize: options.official ? 11 : 10, ...(doc.defaultStyle ?? {}) },
    styles: { ...PDF_STYLES, ...(doc.styles ?? {}) },
  };
  const buffer = await pdfmake().createPdf(definition).getBuffer();
  return Buffer.from(buffer);
}

/** Styles every document may use by name. */
export const PDF_STYLES = {
  title: { fontSize: 15, bold: true, alignment: 'center' as const, margin: [0, 0, 0, 8] as [number, number, number, number] },
  subtitle: { fontSize: 11, italics: true, alignment: 'center' as const, margin: [0, 0, 0, 12] as [number, number, number, number] },
  heading: { fontSize: 12, bold: true, margin: [0, 10, 0, 4] as [number, number, number, number] },
  tableHeader: { bold: true, fillColor: '#eeeeee' },
  small: { fontSize: 8, color: '#555555' },
};

/** A table with a repeated header row; `widths` defaults to auto for every column. */
export function pdfTable(header: string[], rows: TableCell[][], widths?: (string | number)[]): Content {
  return {
    table: {
      headerRows: 1,
      widths: widths ?? header.map(() => 'auto'),
      body: [header.map((text) => ({ text, style: 'tableHeader' })), ...rows],
    },
    layout: 'lightHorizontalLines',
  };
}

/** A footer "page 1 / 3" made from a translated template with {{page}} and {{pages}}. */
export function pdfPageFooter(template: (page: number, pages: number) => string) {
  return (page: number, pages: number): Content => ({ text: template(page, pages), style: 'small', alignment: 'right', margin: [40, 10, 40, 0] });
}
