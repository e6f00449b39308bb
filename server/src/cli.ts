// The klens command (stub: being written).
process.stdout.write('klens: not yet implemented\n');
