import { Decimal } from 'decimal.js';
import { channelAvailable, checkChannelRule, defaultRuleFor } from './channel-rule.js';

describe(channelAvailable.name, () => {
  const atp = (value: string): Decimal => new Decimal(value);

  it('rounds a percentage buffer up to whole units, in the channel’s disfavour', () => {
    const rule = { warehouses: null, buffer: { type: 'PERCENT' as const, value: '10' } };
    expect(channelAvailable(rule, 'WH', atp('95')).toFixed()).toBe('85');
    expect(channelAvailable(rule, 'WH', atp('1')).toFixed()).toBe('0');
    expect(channelAvailable(rule, 'WH', atp('10.5')).toFixed()).toBe('8.5');
  });

  it('holds units back per warehouse, never showing less than zero', () => {
    const rule = { warehouses: null, buffer: { type: 'UNITS' as const, value: '5' } };
    expect(channelAvailable(rule, 'WH', atp('12')).toFixed()).toBe('7');
    expect(channelAvailable(rule, 'WH', atp('3')).toFixed()).toBe('0');
  });

  it('shows nothing from a warehouse the channel may not sell from', () => {
    const rule = { warehouses: ['WH-WEST'], buffer: { type: 'NONE' as const, value: '0' } };
    expect(channelAvailable(rule, 'WH-EAST', atp('12')).toFixed()).toBe('0');
    expect(channelAvailable(rule, 'WH-WEST', atp('12')).toFixed()).toBe('12');
  });

  it('defaults marketplaces to a 10 % buffer and other channels to none', () => {
    expect(defaultRuleFor('marketplace').buffer).toEqual({ type: 'PERCENT', value: '10' });
    expect(defaultRuleFor('ecommerce')).toEqual({
      warehouses: null,
      buffer: { type: 'NONE', value: '0' },
    });
  });
});

describe(checkChannelRule.name, () => {
  it('normalises warehouses and the buffer value', () => {
    expect(
      checkChannelRule({
        warehouses: [' WH-EAST', 'WH-EAST', 'WH-WEST'],
        buffer: { type: 'UNITS', value: '5.50' },
      }),
    ).toEqual({
      ok: true,
      value: { warehouses: ['WH-EAST', 'WH-WEST'], buffer: { type: 'UNITS', value: '5.5' } },
    });
  });

  it('refuses a percentage over 100 and an unknown buffer type', () => {
    const over = checkChannelRule({ warehouses: null, buffer: { type: 'PERCENT', value: '101' } });
    const unknown = checkChannelRule({ warehouses: null, buffer: { type: 'SOME', value: '1' } });
    expect(!over.ok && over.problems[0].code).toBe('INVALID_BUFFER_VALUE');
    expect(!unknown.ok && unknown.problems[0].code).toBe('INVALID_BUFFER_TYPE');
  });
});
