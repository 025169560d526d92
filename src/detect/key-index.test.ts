import { describe, expect, it } from 'vitest';
import { KeyIndex } from './key-index.js';

describe('KeyIndex', () => {
  it('gives a key one id while any holder has it, and hands the id out again once none does', () => {
    const index = new KeyIndex<string>();
    const a = index.acquire('a');
    expect(index.acquire('a')).toBe(a);
    const b = index.acquire('b');
    expect(b).not.toBe(a);
    expect(index.find('a')).toBe(a);
    expect(index.key(a)).toBe('a');
    index.release(a);
    expect(index.find('a')).toBe(a);
    index.release(a);
    expect(index.find('a')).toBe(-1);
    expect(index.key(a)).toBeUndefined();
    expect(index.acquire('c')).toBe(a);
    expect(index.size).toBe(2);
    expect(index.capacity).toBe(2);
  });

  it('refuses to release an id more often than it was acquired', () => {
    const index = new KeyIndex<string>();
    const a = index.acquire('a');
    index.release(a);
    expect(() => index.release(a)).toThrow(RangeError);
  });

  it('grows past its first block of ids', () => {
    const index = new KeyIndex<number>();
    for (let i = 0; i < 1000; i += 1) expect(index.acquire(i)).toBe(i);
    for (let i = 0; i < 1000; i += 1) expect(index.find(i)).toBe(i);
  });

  it('takes one more holder of an id by the id alone, and only of an id that is held', () => {
    const index = new KeyIndex<string>();
    const id = index.acquire('a');
    index.hold(id);
    index.release(id);
    expect(index.find('a')).toBe(id);
    index.release(id);
    expect(index.find('a')).toBe(-1);
    expect(() => index.hold(id)).toThrow(RangeError);
    expect(() => index.hold(7)).toThrow(RangeError);
  });
});
