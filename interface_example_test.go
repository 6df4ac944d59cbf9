package aistats_test

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/ai-stats/aistats-go"
)

// disableStale is the kind of code users write: it depends on
// aistats.KeysAPI, not on *aistats.Client, so tests can pass a fake.
func disableStale(ctx context.Context, keys aistats.KeysAPI, unusedSince time.Time) (int, error) {
	n := 0
	for key, err := range keys.All(ctx, nil) {
		if err != nil {
			return n, err
		}
		if key.Status == aistats.KeyStatusActive && (key.LastUsedAt == nil || key.LastUsedAt.Before(unusedSince)) {
			if _, err := keys.Update(ctx, key.ID, &aistats.UpdateKeyParams{Status: aistats.Ptr(aistats.KeyStatusPaused)}); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// fakeKeys embeds the interface so a test implements only what it uses;
// calling anything else panics, which flags an unexpected call.
type fakeKeys struct {
	aistats.KeysAPI
	keys    []*aistats.Key
	updated []string
}

func (f *fakeKeys) All(context.Context, *aistats.ListKeysOptions) iter.Seq2[*aistats.Key, error] {
	return func(yield func(*aistats.Key, error) bool) {
		for _, k := range f.keys {
			if !yield(k, nil) {
				return
			}
		}
	}
}

func (f *fakeKeys) Update(_ context.Context, id string, p *aistats.UpdateKeyParams) (*aistats.Key, error) {
	f.updated = append(f.updated, id)
	return &aistats.Key{ID: id, Status: *p.Status}, nil
}

// Example_interfaceFake shows the interface recipe from the README.
func Example_interfaceFake() {
	recent := time.Now()
	fake := &fakeKeys{keys: []*aistats.Key{
		{ID: "a", Status: aistats.KeyStatusActive},                      // never used
		{ID: "b", Status: aistats.KeyStatusActive, LastUsedAt: &recent}, // in use
		{ID: "c", Status: aistats.KeyStatusPaused},                      // already off
	}}
	n, err := disableStale(context.Background(), fake, recent.Add(-24*time.Hour))
	fmt.Println(n, err, fake.updated)
	// Output: 1 <nil> [a]
}
