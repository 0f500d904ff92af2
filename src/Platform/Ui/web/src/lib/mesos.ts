// The parts of Mesos's /master/state the pages read.
export interface Resources { cpus?: number; mem?: number; disk?: number; gpus?: number; ports?: string; }
export interface Agent {
  id: string; hostname: string; pid: string; active: boolean; resources: Resources; used_resources: Resources;
  attributes?: Record<string, string | number>; registered_time?: number;
}
export interface MesosTask { id: string; name: string; state: string; slave_id: string; framework_id: string; resources: Resources; }
export interface Framework { id: string; name: string; tasks: MesosTask[]; unreachable_tasks?: MesosTask[]; completed_tasks?: MesosTask[]; }
export interface MasterState { slaves: Agent[]; frameworks: Framework[]; unreachable_slaves?: number; hostname?: string; version?: string; }

export const liveTasks = (s: MasterState) => s.frameworks.flatMap(f => [...f.tasks, ...(f.unreachable_tasks ?? [])]);

export function totals(s: MasterState) {
  const t = { cpus: 0, mem: 0, disk: 0, usedCpus: 0, usedMem: 0, usedDisk: 0 };
  for (const a of s.slaves.filter(a => a.active)) {
    t.cpus += a.resources.cpus ?? 0; t.mem += a.resources.mem ?? 0; t.disk += a.resources.disk ?? 0;
    t.usedCpus += a.used_resources.cpus ?? 0; t.usedMem += a.used_resources.mem ?? 0; t.usedDisk += a.used_resources.disk ?? 0;
  }
  return t;
}

export const stateName = (s: string) => s.replace(/^TASK_/, '').toLowerCase().replace(/^./, c => c.toUpperCase());
