import { describe, expect, it } from 'vitest';
import {
  isPaused, pageCount, pageOf, pauseTour, resumeTour, secondsLeft, setPages, setTourInterval, startTour, stepTour, tickTour,
} from './tour';

describe('tour timer', () => {
  it('advances one page per interval and wraps around', () => {
    let s = startTour(10, 0, 3);
    s = tickTour(s, 9_999);
    expect(s.page).toBe(0);
    s = tickTour(s, 10_000);
    expect(s.page).toBe(1);
    s = tickTour(s, 20_000);
    s = tickTour(s, 30_000);
    expect(s.page).toBe(0);
  });

  it('moves a single page after a long sleep and schedules from now', () => {
    let s = startTour(10, 0, 5);
    s = tickTour(s, 95_000);
    expect(s.page).toBe(1);
    expect(s.nextAt).toBe(105_000);
  });

  it('pauses with the time left and resumes from it', () => {
    let s = startTour(30, 0, 2);
    s = pauseTour(s, 12_000);
    expect(isPaused(s)).toBe(true);
    expect(secondsLeft(s, 50_000)).toBe(18);
    expect(tickTour(s, 100_000).page).toBe(0); // paused: nothing moves
    s = resumeTour(s, 100_000);
    expect(tickTour(s, 117_999).page).toBe(0);
    expect(tickTour(s, 118_000).page).toBe(1);
  });

  it('keeps the page inside the group when its size changes', () => {
    let s = startTour(10, 0, 4);
    s = stepTour(s, 3, 0);
    expect(s.page).toBe(3);
    s = setPages(s, 2);
    expect(s.page).toBe(1);
    expect(stepTour(s, -2, 0).page).toBe(1);
    expect(stepTour(s, 1, 0).page).toBe(0);
  });

  it('applies a new interval from now', () => {
    const s = setTourInterval(startTour(10, 0), 60, 5_000);
    expect(s.nextAt).toBe(65_000);
    const paused = setTourInterval(pauseTour(startTour(10, 0), 1_000), 30, 2_000);
    expect(secondsLeft(paused, 0)).toBe(30);
  });
});

describe('tour pages', () => {
  it('counts pages of a group', () => {
    expect(pageCount(0, 4)).toBe(1);
    expect(pageCount(9, 4)).toBe(3);
    expect(pageCount(8, 4)).toBe(2);
  });

  it('slices a list into padded pages', () => {
    expect(pageOf([1, 2, 3, 4, 5], 1, 4)).toEqual([5, null, null, null]);
    expect(pageOf([1, 2], 0, 1)).toEqual([1]);
  });
});
