/** What the process around the app provides (the all-in-one passes its collector's liveness). */
export interface AppOptions {
  /** When the collector runs in this process: is it up? Readiness reports it. */
  readonly collectorAlive?: () => boolean;
  /** Where grafana/ lives (dashboards and alert rules served by the export endpoints). */
  readonly grafanaDir?: string;
  /** Start background work (auto-analysis, regression checks). Off in tests that drive it by hand. */
  readonly background?: boolean;
}
