package emulator_test

import (
	"encoding/json"
	"errors"

	"github.com/alibabacloud-go/tea/tea"
)

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func asSDK(err error, target **tea.SDKError) bool { return errors.As(err, target) }
