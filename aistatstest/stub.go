package aistatstest

import (
	"errors"
	"fmt"
	"iter"
)

// ErrNotStubbed is returned (wrapped, with the stub and method named) by a
// stub method that has neither its Func field nor a Fallback.
var ErrNotStubbed = errors.New("method not stubbed")

func notStubbed(stub, method string) error {
	return fmt.Errorf("aistatstest: %s.%s: %w: set %sFunc or Fallback", stub, method, ErrNotStubbed, method)
}

// failing is an iterator that yields err once.
func failing[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
