// One line of the benchmark table: a tool doing one job, timed in the same run as
// the tools it is compared with.
export interface BenchRow {
  section: string;
  tool: string;
  seconds: number;
  peakRssMb?: number;
  requests?: number;
  note?: string;
}
