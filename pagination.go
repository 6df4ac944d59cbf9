package aistats

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
)

// ErrNoProgress is yielded by All and Pages when the server answers a page
// request with nothing new: it ignored the offset, repeated or reordered
// keys already walked, or alternated between pages. Without this guard
// such a server would make the loop run forever.
var ErrNoProgress = errors.New("aistats: pagination made no progress")

// pageOf is what the walker needs from a page type (*KeyPage, *APIKeyPage).
type pageOf[T any] interface {
	items() []*T
	setItems([]*T)
	// window returns the offset the server applied and, for the next
	// page, its offset and whether there is one.
	window() (offset, next int, more bool)
}

// walk is the pager behind every Pages and All: it lists pages lazily from
// offset on, yields each page once with the keys not yet yielded in this
// walk, and ends with ErrNoProgress when a full page brings no key not yet
// seen.
// list fetches the page at an offset; id names an item.
func walk[P pageOf[T], T any](ctx context.Context, startLimit, startOffset int, list func(ctx context.Context, limit, offset int) (P, error), id func(*T) string) iter.Seq2[P, error] {
	return func(yield func(P, error) bool) {
		var zero P
		limit, offset := startLimit, startOffset // each range starts over
		if ctx == nil {
			yield(zero, &ValidationError{Field: "ctx", Problem: "must not be nil (use context.Background())"})
			return
		}
		if err := checkWindow(limit, offset); err != nil {
			yield(zero, err)
			return
		}
		if limit == 0 || limit > MaxPageSize {
			limit = MaxPageSize
		}
		seen := newIDSet()
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, fmt.Errorf("aistats: listing keys at offset %d: %w", offset, err))
				return
			}
			page, err := list(ctx, limit, offset)
			if err != nil {
				yield(zero, err)
				return
			}
			served, next, more := page.window()
			if served != offset {
				yield(zero, fmt.Errorf("%w: asked for offset %d, server answered offset %d", ErrNoProgress, offset, served))
				return
			}
			items := page.items()
			fresh := items[:0] // in place: each kept item moves forward, never past its reader
			for _, it := range items {
				if seen.add(id(it)) {
					fresh = append(fresh, it)
				}
			}
			if len(fresh) == 0 && more {
				// A page of keys already yielded that does not end the list:
				// the server ignores the offset, or repeats, reorders or
				// alternates pages. (A page that ends it may hold only
				// repeats: keys created during the walk shift the last few
				// forward.)
				yield(zero, fmt.Errorf("%w: the page at offset %d holds only keys already listed", ErrNoProgress, offset))
				return
			}
			page.setItems(fresh)
			if err := ctx.Err(); err != nil { // cancelled while the page was read
				yield(zero, fmt.Errorf("aistats: listing keys at offset %d: %w", offset, err))
				return
			}
			if len(fresh) > 0 && !yield(page, nil) {
				return
			}
			if !more {
				return
			}
			offset = next
		}
	}
}

// all flattens a walk into its items. It checks ctx before each item, so
// that after a cancel no further key is yielded (not even the rest of a
// page already read), only the context's error. The check is a
// non-blocking receive: no lock, no allocation.
func all[P pageOf[T], T any](ctx context.Context, pages iter.Seq2[P, error]) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		var done <-chan struct{}
		if ctx != nil { // a nil ctx is the walk's own ValidationError
			done = ctx.Done()
		}
		for page, err := range pages {
			if err != nil {
				yield(nil, err)
				return
			}
			for _, it := range page.items() {
				select {
				case <-done:
					yield(nil, fmt.Errorf("aistats: listing keys: %w", ctx.Err()))
					return
				default:
				}
				if !yield(it, nil) {
					return
				}
			}
		}
	}
}

// idSet remembers the ids a walk has yielded as 64-bit keyed hashes: 8
// bytes a key (about 24 with the map's overhead, measured at 50,000 keys)
// instead of the id itself (36 bytes plus a string header). The seed
// is random per walk, so a server cannot choose ids that collide; two
// distinct ids in a walk of n keys share a hash with probability about
// n²/2⁶⁵ (one in 10¹⁰ at 50,000 keys).
type idSet struct {
	seed maphash.Seed
	m    map[uint64]struct{}
}

func newIDSet() *idSet { return &idSet{seed: maphash.MakeSeed(), m: map[uint64]struct{}{}} }

// add records id and reports whether it was new.
func (s *idSet) add(id string) bool {
	h := maphash.String(s.seed, id)
	if _, dup := s.m[h]; dup {
		return false
	}
	s.m[h] = struct{}{}
	return true
}

// nextWindow is the rule for both page types (walks and NextOptions): the
// page after one of served keys at offset, unless it was the last. A page
// ends the list when it is empty, or short of the limit while the total,
// if the server sent one (total >= 0), agrees that nothing lies beyond.
// A short page whose total says more keys follow does not: a server or
// proxy that clamps the limit below what was asked is walked on, from
// offset+served. Total is never trusted to end a list early, as it is a
// separate, possibly stale count; a stale one that is too high costs one
// more request, whose empty page ends the list.
func nextWindow(limit, offset, served, total int) (int, bool) {
	switch {
	case served == 0:
		return 0, false
	case limit > 0 && served < limit && (total < 0 || offset+served >= total):
		return 0, false
	}
	return offset + served, true
}

// listOptions is a list call's options type, whose window the pager sets.
type listOptions[O any] interface {
	*O
	window() (limit, offset *int)
}

// pagesOf walks the pages of a list call from opts (copied now, so each
// range starts over and the caller's value is never changed).
func pagesOf[O any, PO listOptions[O], P pageOf[T], T any](ctx context.Context, opts PO, list func(context.Context, PO) (P, error), id func(*T) string) iter.Seq2[P, error] {
	var start O
	if opts != nil {
		start = *opts
	}
	limit, offset := PO(&start).window()
	return walk(ctx, *limit, *offset, func(ctx context.Context, l, o int) (P, error) {
		page := start
		lp, op := PO(&page).window()
		*lp, *op = l, o
		return list(ctx, &page)
	}, id)
}

// nextOptionsOf is NextOptions for both page types: the options of a page
// with the offset of the next one.
func nextOptionsOf[O any, PO listOptions[O]](opts O, limit, offset, served, total int) (*O, bool) {
	next, more := nextWindow(limit, offset, served, total)
	if !more {
		return nil, false
	}
	_, op := PO(&opts).window()
	*op = next
	return &opts, true
}

func (o *ListKeysOptions) window() (*int, *int)    { return &o.Limit, &o.Offset }
func (o *ListAPIKeysOptions) window() (*int, *int) { return &o.Limit, &o.Offset }

// Pages walks the list page by page, for callers who need page boundaries
// (batching, progress reporting, checkpoints). It follows the same rules as
// All and never yields an empty page. For fully manual paging use List
// with KeyPage.NextOptions.
func (s *KeysService) Pages(ctx context.Context, opts *ListKeysOptions) iter.Seq2[*KeyPage, error] {
	return pagesOf(ctx, opts, s.List, func(k *Key) string { return k.ID })
}

// All walks every key, newest first, fetching pages of opts.Limit keys
// (MaxPageSize when unset) from opts.Offset on. Pages are fetched lazily and
// only one is held at a time; breaking out of the loop sends no further
// request. An error is yielded once and ends the iteration. opts is copied
// when All is called; each range over the result starts over.
//
//	for key, err := range client.Keys.All(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(key.ID, key.Name)
//	}
//
// The API pages by offset over a newest-first list, so keys created while
// walking shift later pages. Within one walk no key is yielded twice, and a
// page that brings no key not yet yielded (a server that ignores the
// offset, repeats or reorders pages) ends the walk with ErrNoProgress
// rather than looping. The walk remembers an 8-byte hash per key yielded
// (about 24 bytes with the map's overhead).
//
// The walk ends after an empty page, or a page short of the limit when the
// server's Total (if it reports one) agrees that no key lies beyond it. A
// short page whose Total says more keys follow (a server or proxy that
// clamps the limit) is walked on from the offset after the keys it held.
//
// Cancelling ctx stops the walk at once: no further key is yielded, not
// even the rest of a page already read; the context's error comes next.
func (s *KeysService) All(ctx context.Context, opts *ListKeysOptions) iter.Seq2[*Key, error] {
	return all(ctx, s.Pages(ctx, opts))
}

func (p *KeyPage) items() []*Key     { return p.Keys }
func (p *KeyPage) setItems(k []*Key) { p.Keys = k }

func (p *KeyPage) window() (int, int, bool) {
	next, more := nextWindow(p.Limit, p.Offset, p.served, p.Total)
	return p.Offset, next, more
}

// NextOptions returns the options for the page after this one, and false
// when this page is the last: it was empty, or short of the limit while
// Total (when the server reports one) agrees that no key lies beyond it.
// A short page with more keys beyond it (a server that clamps the limit)
// is followed from the offset after the keys it held.
func (p *KeyPage) NextOptions() (*ListKeysOptions, bool) {
	return nextOptionsOf(p.opts, p.Limit, p.Offset, max(len(p.Keys), p.served), p.Total)
}
