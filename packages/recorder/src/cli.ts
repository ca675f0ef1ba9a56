// The scapkit command line.
export async function main(_argv: string[]): Promise<number> {
  return 0;
}
