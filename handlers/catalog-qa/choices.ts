import type { Redis } from 'ioredis';
import type { ButtonCard } from '../../bot/reply.js';
import type { AskOption } from '../catalog-answers/other-parts.js';

/** How long a "您是想问" list can be answered with 1/2/3, seconds. */
export const CHOICE_TTL_SECONDS = 600;

function key(prefix: string, channel: string, userId: string): string {
  return `${prefix}:choice:${channel}:${userId}`;
}

export async function saveChoices(redis: Redis | undefined, prefix: string, channel: string, userId: string, options: AskOption[]): Promise<void> {
  if (!redis) return;
  await redis.set(key(prefix, channel, userId), JSON.stringify(options.map((o) => ({ n: o.n, label: o.label, query: o.query }))), 'EX', CHOICE_TTL_SECONDS);
}

/** The option the user picked by replying its number, consuming the pending list. */
export async function takeChoice(redis: Redis | undefined, prefix: string, channel: string, userId: string, n: number): Promise<{ label: string; query: string } | undefined> {
  if (!redis) return undefined;
  const raw = await redis.getdel(key(prefix, channel, userId));
  if (!raw) return undefined;
  const options = JSON.parse(raw) as { n: number; label: string; query: string }[];
  return options.find((o) => o.n === n);
}

/** A reply that is only a choice number: "1", "２", "第2个", "选3". */
export function choiceNumber(text: string): number | undefined {
  const t = text.trim().replace(/[１２３]/g, (d) => String('１２３'.indexOf(d) + 1));
  const m = /^(?:第|选)?\s*([1-3])\s*(?:个|项|条)?$/.exec(t);
  return m ? Number(m[1]) : undefined;
}

/** The AI bot's "您是想问" card: one button per option; the key is the query that answers it. */
export function choiceCard(taskId: string, options: AskOption[]): ButtonCard {
  return {
    cardType: 'button_interaction',
    taskId,
    title: '您是想问……',
    subtitle: options.map((o) => `${o.n}. ${o.label}`).join('\n'),
    buttons: options.map((o) => ({ text: `${o.n}. ${o.label.replace(/〔.*?〕|（.*?）/g, '')}`, key: o.query, style: 1 as const })),
  };
}
