import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CallbackRejected } from './errors.js';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false, // keep every value a string: MsgId exceeds 2^53
  trimValues: false,
  cdataPropName: false,
  processEntities: true, // the five predefined entities only: DOCTYPEs are refused before parsing
  isArray: (name) => name === 'Item' || name === 'SelectedItem' || name === 'OptionId',
});

export type XmlObject = Record<string, unknown>;

/**
 * Parses a WeCom XML document and returns the children of its root `<xml>` element.
 * Refuses DOCTYPE and entity declarations outright (nothing is expanded), and malformed XML.
 */
export function parseXml(text: string): XmlObject {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new CallbackRejected(400, 'xml_doctype', 'XML with a DOCTYPE or entity declaration is not accepted');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new CallbackRejected(400, 'xml_malformed', `malformed XML: ${valid.err.msg}`);
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (err) {
    throw new CallbackRejected(400, 'xml_malformed', `malformed XML: ${(err as Error).message}`);
  }
  const root = (doc as { xml?: unknown }).xml;
  if (!root || typeof root !== 'object') throw new CallbackRejected(400, 'xml_no_root', 'XML has no <xml> root element');
  return root as XmlObject;
}

/** The string value of a field ('' when missing). */
export function xmlString(o: XmlObject, key: string): string {
  const v = o[key];
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return '';
  return String(v);
}

function cdata(value: string): string {
  // `]]>` cannot appear inside CDATA: split it across two sections.
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Builds `<xml>…</xml>`; strings in CDATA, numbers bare. */
export function buildXml(fields: Record<string, string | number>): string {
  const body = Object.entries(fields)
    .map(([k, v]) => (typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}>${cdata(v)}</${k}>`))
    .join('');
  return `<xml>${body}</xml>`;
}
