/**
 * 微信客服 commands:
 *   npm run cli -- kf link --village <code> [--kfid <open_kfid>]    per-village link (kf/add_contact_way)
 *   npm run cli -- kf servicer --village <code> --user <userid> [--off]   who takes hand-overs there
 * The functions take their dependencies, so tests call them directly against the fake WeCom server.
 */
import { parseArgs } from 'node:util';
import { WecomApi } from '../../bot/wecom-api/client.js';
import { WecomApiError } from '../../bot/wecom-api/errors.js';
import type { Db } from '../../db/client.js';
import { loadCatalog } from '../../db/catalog/index.js';
import { saveKfLink, upsertKfServicer } from '../../db/kf/residents.js';
import { loadSeedCatalog } from '../../seeds/load.js';
import type { Catalog } from '../../seeds/schema.js';
import type { CliCommand } from './index.js';

/** The scene every village link carries (≤ 32 bytes of [0-9a-zA-Z_-]). */
export const KF_VILLAGE_SCENE = 'village_qr';

type KfApi = Pick<WecomApi, 'kfAddContactWay' | 'call'>;

/** Adds `scene_param=v%3D<code>` to a link from add_contact_way (the doc: append, URL-encoded). */
export function withSceneParam(url: string, village: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}scene_param=${encodeURIComponent(`v=${village}`)}`;
}

/**
 * `kf link --village <code> [--kfid …]`: asks WeCom for a contact link with scene `village_qr`,
 * appends `scene_param=v=<code>`, stores it (the poster prints it as a QR code) and returns the text
 * to print. Without `--kfid` the only API-managed account is used (several → asks to choose).
 */
export async function kfLinkCommand(o: { db: Db; api: KfApi; catalog: Catalog; village: string; kfid?: string; publicBaseUrl?: string }): Promise<{ code: number; text: string }> {
  const village = o.village.trim();
  const region = o.catalog.regions.find((r) => r.code === village);
  if (!/^[0-9A-Za-z_-]{1,32}$/.test(village)) return { code: 2, text: `村（社区）代码不对：${village.slice(0, 40)}（应为字母数字，最长32位）` };
  if (!region) return { code: 2, text: `没找到代码为 ${village} 的村（社区）。可用 npm run cli -- catalog export 查看地区代码。` };
  let kfid = o.kfid?.trim();
  try {
    if (!kfid) {
      const res = await o.api.call<{ errcode: number; errmsg: string; account_list?: Array<{ open_kfid: string; name: string; manage_privilege?: boolean }> }>('kf/account/list', { offset: 0, limit: 100 });
      const usable = (res.account_list ?? []).filter((a) => a.manage_privilege !== false);
      if (usable.length === 0) return { code: 1, text: '没有可由本应用管理的客服账号。请在管理后台「微信客服」里把账号授权给本应用。' };
      if (usable.length > 1) return { code: 2, text: `有多个客服账号，请用 --kfid 指定：\n${usable.map((a) => `  ${a.open_kfid}  ${a.name}`).join('\n')}` };
      kfid = usable[0]!.open_kfid;
    }
    const res = await o.api.kfAddContactWay({ open_kfid: kfid, scene: KF_VILLAGE_SCENE });
    if (!res.url) return { code: 1, text: '企业微信没有返回链接，请稍后再试。' };
    const url = withSceneParam(res.url, village);
    await saveKfLink(o.db, village, kfid, KF_VILLAGE_SCENE, url);
    const lines = [`${region.name}的微信客服链接（已保存，海报会印成二维码）：`, url];
    if (o.publicBaseUrl) lines.push(`打印海报：${o.publicBaseUrl.replace(/\/+$/, '')}/zhengming/poster?village=${encodeURIComponent(village)}`);
    lines.push('注意：不要改动链接里的参数，否则居民扫码后收不到回复。');
    return { code: 0, text: lines.join('\n') };
  } catch (err) {
    if (err instanceof WecomApiError) return { code: 1, text: `企业微信返回错误 ${err.errcode}：${err.errmsg}` };
    throw err;
  }
}

/** `kf servicer --village <code> --user <userid> [--off]`: registers a cadre for hand-overs in that region. */
export async function kfServicerCommand(o: { db: Db; catalog: Catalog; village: string; user: string; off?: boolean }): Promise<{ code: number; text: string }> {
  const region = o.catalog.regions.find((r) => r.code === o.village.trim());
  if (!region) return { code: 2, text: `没找到代码为 ${o.village.slice(0, 40)} 的村（社区）。` };
  const user = o.user.trim();
  if (!/^[0-9A-Za-z_.@-]{1,64}$/.test(user)) return { code: 2, text: `userid 不对：${user.slice(0, 64)}` };
  await upsertKfServicer(o.db, user, region.code, !o.off);
  return { code: 0, text: `已登记：${user} 负责接待${region.name}的转人工${o.off ? '（暂停接待）' : ''}。此人须在应用可见范围内，并在微信客服里设为接待人员。` };
}

export const kfCommand: CliCommand = {
  usage: 'kf link --village <代码> [--kfid <open_kfid>] | kf servicer --village <代码> --user <userid> [--off]   微信客服：村链接、转人工接待人',
  needsInfra: true,
  matches: (c) => c === 'kf',
  async run({ config, log, infra, args, print }) {
    const [sub, ...rest] = args;
    const { values } = parseArgs({ args: rest, options: { village: { type: 'string' }, kfid: { type: 'string' }, user: { type: 'string' }, off: { type: 'boolean' } }, strict: false });
    const village = typeof values.village === 'string' ? values.village : '';
    if ((sub !== 'link' && sub !== 'servicer') || !village) {
      print('用法：npm run cli -- kf link --village <村代码> [--kfid <open_kfid>]\n      npm run cli -- kf servicer --village <村代码> --user <userid> [--off]');
      return 2;
    }
    const db = infra!.db.db;
    const catalog = (await loadCatalog(db)) ?? (await loadSeedCatalog());
    if (sub === 'servicer') {
      const r = await kfServicerCommand({ db, catalog, village, user: typeof values.user === 'string' ? values.user : '', off: values.off === true });
      print(r.text);
      return r.code;
    }
    if (!config.wecom) {
      print('没有配置企业微信凭据（WECOM_CORP_ID、WECOM_APP_SECRET 等），无法生成链接。');
      return 1;
    }
    const api = new WecomApi({
      baseUrl: config.wecomApiBase, corpId: config.wecom.corpId, secret: config.wecom.appSecret, agentId: config.wecom.appAgentId,
      redis: infra!.redis, prefix: config.redisPrefix, log,
    });
    const r = await kfLinkCommand({ db, api, catalog, village, ...(typeof values.kfid === 'string' ? { kfid: values.kfid } : {}), ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}) });
    print(r.text);
    return r.code;
  },
};
