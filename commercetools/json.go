package commercetools

import (
	"encoding/json"
	"slices"
)

// jsonRoundTrip returns v as encoding/json would decode its encoding, for comparisons with
// decoded values.
func jsonRoundTrip(v any) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(data, &out)
	return out, err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
