package aistatstest

import (
	"math"
	"sort"
	"time"
)

// Pagination bounds of the real server. Both generations clamp to 250;
// the default page grew from 50 to 100 with 2026-07.
const (
	defaultPageSize     = 50  // 2026-03
	defaultPageSizeJuly = 100 // 2026-07
	maxPageSize         = 250
	maxSafeInteger      = 1<<53 - 1 // the largest offset a JavaScript number holds exactly
)

// parseLimit is the server's parsePositiveInt: missing, blank, not a
// number or below 1 → def; fractions are floored; above 250 → 250.
func parseLimit(raw string, def int) int {
	f, ok := jsNumber(raw)
	if raw == "" || !ok || math.IsInf(f, 0) {
		return def
	}
	switch n := math.Floor(f); {
	case n <= 0:
		return def
	case n > maxPageSize:
		return maxPageSize
	default:
		return int(n)
	}
}

// parseOffset: missing, not a number or negative → 0; fractions are floored.
func parseOffset(raw string) int64 {
	f, ok := jsNumber(raw)
	if raw == "" || !ok || math.IsInf(f, 0) || f < 0 {
		return 0
	}
	return int64(math.Min(math.Floor(f), maxSafeInteger))
}

// listFrom is where a page starts: the requested offset, or 0 under an
// IgnoreOffset fault.
func (c *call) listFrom(offset int64) int64 {
	if c.mods.ignoreOffset {
		return 0
	}
	return offset
}

// pageOf is PostgREST's range(from, from+limit-1) over rows already in order.
func pageOf[T any](rows []T, from int64, limit int) []T {
	if from >= int64(len(rows)) {
		return nil
	}
	return rows[from:min(int64(len(rows)), from+int64(limit))]
}

// row is what newest-first ordering needs from a stored row.
type row interface {
	orderKey() (createdAt time.Time, seq int64)
}

// sortNewestFirst orders rows created_at DESC. The real server has no
// tie-breaker; the fake puts the newest insertion first so tests are
// deterministic.
func sortNewestFirst[T row](rows []T) {
	sort.Slice(rows, func(i, j int) bool {
		ti, si := rows[i].orderKey()
		tj, sj := rows[j].orderKey()
		if !ti.Equal(tj) {
			return ti.After(tj)
		}
		return si > sj
	})
}
