// What loadConfig refuses in an environment, as the one-line problems it reports.
import { ConfigError, loadConfig } from '../../src/config';

export function configProblemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
