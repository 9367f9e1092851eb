// --list-hosts, --list-tasks and --list-tags, in ansible-playbook's layout.
import type { Inventory, Playbook, TaskNode } from '../types.js';
import { playHosts } from './executor.js';
import { shouldRun } from './tags.js';

function tagList(tags: string[]): string {
  return `[${[...new Set(tags)].sort().join(', ')}]`;
}

function playHeader(i: number, play: Playbook['plays'][number]): string {
  return `  play #${i + 1} (${play.hosts}): ${play.name || play.hosts}\tTAGS: ${tagList(play.tags)}`;
}

export interface ListWhat {
  hosts: boolean;
  tasks: boolean;
  /** --list-tags: the tags of the tasks that would run (play tags included), one line per play. */
  listTags?: boolean;
  inventory?: Inventory;
  limit?: string;
  tags: string[];
  skipTags: string[];
}

function taskLines(nodes: TaskNode[], inherited: string[], tags: string[], skipTags: string[], lines: string[], seen: string[] = []): void {
  for (const n of nodes) {
    const t = [...inherited, ...n.tags];
    if (n.kind === 'block') {
      taskLines([...n.block, ...n.rescue, ...n.always], t, tags, skipTags, lines, seen);
      continue;
    }
    if (!shouldRun(t, tags, skipTags)) continue;
    if (n.kind === 'task' && n.control === 'meta') continue;
    seen.push(...t);
    const base = n.kind === 'task' ? n.name ?? n.actionAs : n.name ?? (n.what === 'tasks' ? 'include_tasks' : 'include_role');
    const name = n.role ? `${n.role.name} : ${base}` : base;
    lines.push(`      ${name}\tTAGS: ${tagList(t)}`);
  }
}

/** --list-hosts and/or --list-tasks for one playbook (one section per play, as ansible-playbook). */
export function listPlaybook(pb: Playbook, shownFile: string, w: ListWhat): string {
  const out = ['', `playbook: ${shownFile}`];
  pb.plays.forEach((play, i) => {
    out.push('', playHeader(i, play));
    if (w.hosts && w.inventory) {
      const hosts = playHosts(w.inventory, play, w.limit);
      out.push(`    pattern: ['${play.hosts}']`, `    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`));
    }
    if (w.tasks || w.listTags) {
      const lines: string[] = [];
      const seen: string[] = [];
      taskLines([...play.preTasks, ...play.roleTasks, ...play.tasks, ...play.postTasks], play.tags, w.tags, w.skipTags, lines, seen);
      if (w.tasks) out.push('    tasks:', ...lines);
      if (w.listTags) out.push(`      TASK TAGS: ${tagList(seen)}`);
    }
  });
  return out.join('\n') + '\n';
}
