package aistats

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

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
// iterating shift later pages; All skips keys repeated from the previous
// page. It ends with an error, rather than looping, when the server makes no
// progress (it ignored the offset, or returned the same page again).
func (s *KeysService) All(ctx context.Context, opts *ListKeysOptions) iter.Seq2[*Key, error] {
	pages := s.Pages(ctx, opts)
	return func(yield func(*Key, error) bool) {
		for page, err := range pages {
			if err != nil {
				yield(nil, err)
				return
			}
			for _, k := range page.Keys {
				if !yield(k, nil) {
					return
				}
			}
		}
	}
}

// Pages walks the list page by page, for callers who need page boundaries
// (batching, progress reporting, checkpoints). It follows the same rules as
// All, including skipping keys repeated from the previous page, and never
// yields an empty page. For fully manual paging use List with
// KeyPage.NextOptions.
func (s *KeysService) Pages(ctx context.Context, opts *ListKeysOptions) iter.Seq2[*KeyPage, error] {
	var start ListKeysOptions
	if opts != nil {
		start = *opts
	}
	if start.Limit <= 0 || start.Limit > MaxPageSize {
		start.Limit = MaxPageSize
	}
	return func(yield func(*KeyPage, error) bool) {
		if ctx == nil {
			yield(nil, &ValidationError{Field: "ctx", Problem: "must not be nil (use context.Background())"})
			return
		}
		o := start
		var prev map[string]struct{}
		var prevFirst string
		for {
			if err := ctx.Err(); err != nil {
				yield(nil, fmt.Errorf("aistats: listing keys at offset %d: %w", o.Offset, err))
				return
			}
			page, err := s.List(ctx, &o)
			if err != nil {
				yield(nil, err)
				return
			}
			if err := checkProgress(page, o, prevFirst); err != nil {
				yield(nil, err)
				return
			}
			next, more := page.NextOptions()
			if len(page.Keys) > 0 {
				prevFirst = page.Keys[0].ID
			}
			page.Keys, prev = dropRepeats(page.Keys, prev)
			if len(page.Keys) > 0 && !yield(page, nil) {
				return
			}
			if !more {
				return
			}
			o = *next
		}
	}
}

// ErrNoProgress is yielded by All and Pages when the server answers a page
// request with the previous page again or ignores the offset. Without this
// guard such a server would make the loop run forever.
var ErrNoProgress = errors.New("aistats: pagination made no progress")

func checkProgress(page *KeyPage, asked ListKeysOptions, prevFirst string) error {
	if page.Offset != asked.Offset {
		return fmt.Errorf("%w: asked for offset %d, server answered offset %d", ErrNoProgress, asked.Offset, page.Offset)
	}
	if prevFirst != "" && len(page.Keys) > 0 && page.Keys[0].ID == prevFirst {
		return fmt.Errorf("%w: page at offset %d starts with the same key (%s) as the previous page", ErrNoProgress, asked.Offset, prevFirst)
	}
	return nil
}

// dropRepeats removes keys seen on the previous page (they shift forward
// when keys are created during the walk) and returns this page's id set.
func dropRepeats(keys []*Key, prev map[string]struct{}) ([]*Key, map[string]struct{}) {
	seen := make(map[string]struct{}, len(keys))
	out := keys[:0]
	for _, k := range keys {
		seen[k.ID] = struct{}{}
		if _, dup := prev[k.ID]; !dup {
			out = append(out, k)
		}
	}
	return out, seen
}

// NextOptions returns the options for the page after this one, and false
// when this page is the last: it was short of the limit the server applied,
// it was empty, or it reached Total. Total alone is never trusted to end the
// walk, since the server can report 0.
func (p *KeyPage) NextOptions() (*ListKeysOptions, bool) {
	n := max(len(p.Keys), p.served) // Pages may have dropped repeats from Keys
	if n == 0 || (p.Limit > 0 && n < p.Limit) || (p.Total > 0 && p.Offset+n >= p.Total) {
		return nil, false
	}
	next := p.opts
	next.Offset = p.Offset + n
	return &next, true
}
