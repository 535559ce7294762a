/**
 * A source's names of the ways votes were cast (`voteTypes` of the feed: Clarity's `Election Day Votes`,
 * `Advanced Voting Votes`, …) as the format's `CountItemType`s.
 *
 * @since 0.2.0
 */
import type { CountItemType } from "./Cdf.ts"

/**
 * A way of voting as the format writes it: one of its types, or `other` with the source's name.
 *
 * @since 0.2.0
 * @category models
 */
export interface CountType {
  readonly Type: CountItemType
  readonly OtherType?: string
}

// The first that matches wins: the narrower absentee kinds come before plain absentee. Georgia's
// "advance(d) voting" is its early in-person voting.
const rules: ReadonlyArray<readonly [RegExp, CountItemType]> = [
  [/\bfwab\b|federal write-in absentee/i, "absentee-fwab"],
  [/\buocava\b|overseas|military/i, "uocava"],
  [/absentee.*in[- ]person|in[- ]person.*absentee/i, "absentee-in-person"],
  [/absentee.*mail|mail|\bvbm\b/i, "absentee-mail"],
  [/absentee/i, "absentee"],
  [/election[- ]day|\bpolls?\b|\bin[- ]precinct\b/i, "election-day"],
  [/\badvance|\bearly\b/i, "early"],
  [/provisional/i, "provisional"],
  [/write[- ]?ins?\b/i, "write-in"]
]

/**
 * The types of every name of one export. Two names that would read as one type (`Early Voting` and
 * `Advance In Person` in one site) are both `other`, each with its name, so no count stands for two.
 * `total` is never given to a source's name: the export writes each selection's total itself.
 *
 * @since 0.2.0
 * @category mapping
 */
export const of = (names: Iterable<string>): ReadonlyMap<string, CountType> => {
  const matched = new Map<string, CountItemType | undefined>()
  for (const name of names) matched.set(name, rules.find(([pattern]) => pattern.test(name))?.[1])
  const uses = new Map<CountItemType, number>()
  for (const type of matched.values()) if (type !== undefined) uses.set(type, (uses.get(type) ?? 0) + 1)
  return new Map(
    [...matched].map(([name, type]): [string, CountType] => [
      name,
      type !== undefined && uses.get(type) === 1 ? { Type: type } : { Type: "other", OtherType: name }
    ])
  )
}
