package commercetools

import (
	"fmt"
	"strings"
)

// quoting escapes the characters a predicate's string literal cannot hold as they are.
var quoting = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// Quote renders s as a string literal of a commercetools query predicate.
func Quote(s string) string { return `"` + quoting.Replace(s) + `"` }

// Eq is the predicate field = "value".
func Eq(field, value string) string { return fmt.Sprintf("%s = %s", field, Quote(value)) }

// Or joins predicates, any of which may hold.
func Or(predicates ...string) string { return "(" + strings.Join(predicates, " or ") + ")" }

// And joins predicates.
func And(predicates ...string) string { return strings.Join(predicates, " and ") }

// Within is the predicate field(predicate), which matches when an object field, or any
// element of a list field, matches predicate.
func Within(field, predicate string) string { return field + "(" + predicate + ")" }
