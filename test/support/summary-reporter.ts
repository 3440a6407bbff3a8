// Mocha reporter for every suite (unit, host, e2e): the usual spec output, then one closing line
// `<suite>: N passed, M failed` alone on a line, which scripts/test.sh reads to judge the run.
// The suite name comes from the reporter option `suite` or the env var MOCHA_SUITE_NAME.
import Mocha from 'mocha';

const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const reporterOptions = (options?.reporterOptions ?? {}) as Record<string, unknown>;
    const suite = String(reporterOptions.suite ?? process.env.MOCHA_SUITE_NAME ?? 'tests');
    // Registered after Spec's own listener, so the line comes after the spec epilogue.
    runner.once(EVENT_RUN_END, () => {
      const stats = runner.stats;
      const passed = stats?.passes ?? 0;
      const failed = stats?.failures ?? 0;
      // console.log, not stdout.write: inside the extension host only console output is forwarded.
      console.log(`${suite}: ${passed} passed, ${failed} failed`);
    });
  }
}

export = SummaryReporter;
