export async function drainMain(_sub: string, _argv: string[]): Promise<number> {
  return 1;
}
