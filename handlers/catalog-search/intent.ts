import type { ListKind } from '../../seeds/schema.js';
import type { DocKind } from './docs.js';
import type { QuestionForm } from './types.js';

/**
 * The intent step: cue words in the normalised question say what it is about (certificate, duty,
 * post, grid entry, indicators, signage) and how it is asked (list / eligibility / responsibility).
 * The cues only *bias* the ranking; the catalog decides the answer. Pure and cheap (a few regexes).
 */

export interface Cues {
  /** Doc kinds the question points at, with a strength (1 = weak cue, 2 = explicit). */
  kinds: Map<DocKind, number>;
  form: QuestionForm;
  /** The question asks about what is NOT allowed (不能开 / 不得派 / 取消). */
  negative: boolean;
  /** For list questions: the list kind asked for ('overview' = all lists), when it can be told. */
  listKind?: ListKind | 'overview';
  /** The question names the street/township level (街道, 乡镇) … */
  township: boolean;
  /** … or the village/community level (村里, 村委, 社区). */
  village: boolean;
}

const KIND_CUES: ReadonlyArray<readonly [DocKind, RegExp, number]> = [
  ['certificate', /证明|开证|盖章|出具|证名|正明|开什么证|什么证|哪些证|万能章/, 2],
  // "有哪些不能开" — to 开 (issue) without a noun is about certificates (but not 开会).
  ['certificate', /(能|不能|可以|不可以|给|不给|让)开(?!会)/, 1],
  ['grid', /网格|准入|派给|派活/, 2],
  ['post', /岗位|[^站]岗(?!位)|哪个岗|什么岗/, 2],
  ['duty', /职责|履职|主责|基本|配合|收回|谁负责|哪个部门|协助|事项|街道|乡镇|归口|谁的活/, 1],
  ['indicator', /考核|指标|打分|一票否决|留痕|评比|督查|会议|开会/, 2],
  ['signage', /牌子|标识牌|挂牌|一横四竖|牌匾|竖牌|横牌/, 2],
];

const NEGATIVE = /不能|不可以|不让|不给|不准|不予|负面|不应|禁止|取消|不出具|不开|不得|拒绝|不再|不属于|没法/;

/** "哪些/什么…/几项/清单" — asking for a whole list. */
const LIST_FORM = new RegExp(
  [
    '哪些',
    '哪几',
    '有什么(证明|岗位|岗|事|活|指标|牌子|职责|事项|清单)',
    '什么(证明|证|岗位|活|事项|指标|牌子)(都)?(能|可以|不能|不可以|可|归|是)',
    '(能|可以|不能|不可以|不让)(开|出具|干|派|做)(什么|哪些|几)',
    '都有什么',
    '都(能|可以)(开|干|做)',
    '几(项|类|种|块|张|条|个岗)',
    '准入机制|(工作|管理)?机制是',
    '多少(项|类|种|个岗|条)',
    '清单(?!外)',
    '(总|基本)?原则',
    '目录',
    '列表',
    '一览',
    '全部',
    '所有',
    '都是什么',
  ].join('|'),
);
/** "…需要哪些材料" is about one item, not a list. */
const NOT_LIST = /(哪些|什么)(材料|手续|资料|条件|东西|证件)|带(什么|哪些)|要(带|交)|多久|几天|时限/;

const RESPONSIBILITY = /谁负责|哪个部门|哪个岗|什么部门|什么岗|是基本|基本职责还是|还是配合|是配合|配合还是|属于(基本|配合|收回)|主责|牵头|谁来|归哪|由谁|找谁|哪个单位|谁办|收回了|收回到|收回给/;
const ELIGIBILITY = /能不能|可以|能开|给开|能出|吗$|让不让|准不准|派给|能派|能让|能干|能做|允许/;

/** Detects cues in a normalised question. */
export function detectCues(text: string): Cues {
  const kinds = new Map<DocKind, number>();
  for (const [kind, re, strength] of KIND_CUES) if (re.test(text)) kinds.set(kind, Math.max(strength, kinds.get(kind) ?? 0));
  const negative = NEGATIVE.test(text);
  let form: QuestionForm = 'info';
  if (LIST_FORM.test(text) && !NOT_LIST.test(text)) form = 'list';
  else if (RESPONSIBILITY.test(text)) form = 'responsibility';
  else if (ELIGIBILITY.test(text)) form = 'eligibility';
  const township = /街道|乡镇|镇上|镇里|办事处/.test(text);
  const village = /村里|村委|村级|两委|社区|居委|本村|村民|我村/.test(text);
  const cues: Cues = { kinds, form, negative, township, village };
  if (form === 'list') cues.listKind = listKindFor(text, kinds, negative);
  return cues;
}

/** Which list a list question asks for; undefined when it cannot be told from the words. */
export function listKindFor(text: string, kinds: Map<DocKind, number>, negative: boolean): ListKind | 'overview' | undefined {
  if (/减负措施|不得由村|不由村|村里不干|不该村里干|9条|九条/.test(text)) return 'burden_measure';
  if (kinds.has('certificate')) {
    if (/原则|规定|规矩|要求/.test(text) && !/哪些证|什么证/.test(text)) return 'certificate_rule';
    return negative ? 'certificate_banned' : 'certificate_allowed';
  }
  if (kinds.has('grid')) {
    if (/机制|程序|流程|怎么准入|规则/.test(text)) return 'grid_rule';
    return negative ? 'grid_refused' : 'grid_allowed';
  }
  if (kinds.has('signage')) return 'signage';
  if (kinds.has('indicator')) {
    if (/取消|不再|去掉|不考/.test(text)) return 'indicator_removed';
    if (/规则|规定|会议|开会|留痕|一票否决/.test(text)) return 'assessment_rule';
    return 'indicator';
  }
  if (kinds.has('post')) return 'post';
  if (/收回/.test(text)) return 'township_returned';
  if (/配合/.test(text)) return 'township_cooperate';
  if (/删除|删去|删掉/.test(text)) return 'township_deleted';
  if (/基本(职责|履职)?/.test(text) || /街道|乡镇/.test(text)) return 'township_basic';
  if (/协助|帮政府|政务服务/.test(text)) return 'village_assist';
  if (/村/.test(text) && /职责|履职|干什么|管什么|事项|活/.test(text)) return 'village_duty';
  if (/^(清单|目录|列表|全部清单|所有清单)$|有哪些清单|什么清单|哪些清单|几个清单|几张清单/.test(text)) return 'overview';
  return undefined;
}

/** Multiplier applied to a document's score given the cues (the intent prior). */
export function kindBoost(cues: Cues, doc: { kind: DocKind; list: { kind: ListKind } }): number {
  const kind = doc.kind;
  const s = cues.kinds.get(kind);
  let boost = s === undefined ? 1 : s >= 2 ? 1.6 : 1.25;
  // Explicit cues for another kind make this kind less likely; "网格员" names the subject outright.
  // Grid items are all about 网格员: without a grid cue they are less likely.
  if (kind === 'grid' && s === undefined) boost *= 0.85;
  if (s === undefined) {
    if (cues.kinds.has('grid')) boost *= 0.6;
    else for (const v of cues.kinds.values()) if (v >= 2) {
      boost *= 0.8;
      break;
    }
  } else if (kind !== 'grid' && cues.kinds.has('grid')) boost *= 0.6;
  if (kind === 'duty') {
    const lk = doc.list.kind;
    const township = lk.startsWith('township');
    const village = lk === 'village_duty' || lk === 'village_assist' || lk === 'burden_measure';
    if (cues.township && township) boost *= 1.2;
    if (cues.village && village) boost *= 1.15;
    // "谁负责" asks for whoever leads: the street's own (basic) items before assisting ones.
    if (cues.form === 'responsibility') {
      boost *= 1.25;
      if (lk === 'township_basic') boost *= 1.1;
      else if (lk === 'village_duty' || township) boost *= 1.05;
    }
  }
  return boost;
}
