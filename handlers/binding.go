package handlers

import "github.com/gin-gonic/gin/binding"

// Requests are checked against the contract (kin-openapi) before the generated handlers
// bind them, and the generated types carry no struct tags for gin's validator: left on,
// it would walk every bound body by reflection and find nothing to check. The generated
// handlers skip it when it is nil, as gin's own binding does.
func init() { binding.Validator = nil }
