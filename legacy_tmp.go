package aistats

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

func (p *CreateKeyParams) validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Problem: "must not be nil"}
	}
	if err := validateName(p.Name, "is required"); err != nil {
		return err
	}
	if p.Status != "" && !p.Status.Valid() {
		return &ValidationError{Field: "Status", Problem: fmt.Sprintf("%q is not one of active, disabled, revoked", p.Status)}
	}
	return nil
}

func (p *UpdateKeyParams) validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Problem: "must not be nil"}
	}
	if p.Name != nil {
		if err := validateName(*p.Name, "must not be empty when set"); err != nil {
			return err
		}
	}
	if p.Status != nil && !p.Status.Valid() {
		return &ValidationError{Field: "Status", Problem: fmt.Sprintf("%q is not one of active, disabled, revoked", *p.Status)}
	}
	return nil
}

func validateName(name, emptyProblem string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return &ValidationError{Field: "Name", Problem: emptyProblem}
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLength {
		return &ValidationError{Field: "Name", Problem: fmt.Sprintf("is %d characters; the limit is %d", n, MaxNameLength)}
	}
	return nil
}

func printableLine(s string) string { return s }
