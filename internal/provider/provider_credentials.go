package provider

import (
	"fmt"
	"strings"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Where the chosen credentials came from.
const (
	originBlock = "provider block"
	originEnv   = "environment"
)

// credentialRow is one row of the credential precedence table: a source of
// credentials, the provider block settings that name it, and the
// environment variables that supply it when the block names no source.
type credentialRow struct {
	source string   // the source's name in logs and messages
	block  []string // provider block settings that name the source
	env    []string // environment variables read for it when the block names no source

	// The row as docs/index.md shows it (Markdown).
	docSource, docBlock, docEnv string
}

// credentialTable is the precedence of credential sources, written once.
//
// The rule: when the provider block names any source (sets any of the
// settings in a row's block column), the credentials come from the block
// alone, and the environment supplies nothing of another source (an
// exported access key never displaces a profile or role written in the
// block, and a token or role ARN left in the shell never joins a key
// written there). Only when the block names no source are the
// environment variables read, in the order of the rows. Within the block,
// the access key, profile and ECS role exclude each other, and assume_role
// takes the access key or profile of the block as its source credentials.
//
// Two environment variables complete a source the block names, because
// they belong to the same source and cannot select another one:
// ALIBABA_CLOUD_ROLE_ARN supplies assume_role's role_arn, and
// ALIBABA_CLOUD_PROFILE the profile read from shared_credentials_file.
// The credentials library reads ALIBABA_CLOUD_CONFIG_FILE for the file's
// path when shared_credentials_file is not set.
//
// TestCredentialTableDocs keeps docs/index.md's copy of the table equal to
// this one.
var credentialTable = []credentialRow{
	{
		source: "access key",
		block:  []string{"access_key", "secret_key", "security_token"},
		env:    joinLists(envAccessKey, envSecretKey, envSecurityToken),
		docSource: "Access key (an STS token with it makes temporary " +
			"credentials)",
		docBlock: "`access_key` and `secret_key`, optionally `security_token`",
		docEnv: "`ALIBABA_CLOUD_ACCESS_KEY_ID` and `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optionally " +
			"`ALIBABA_CLOUD_SECURITY_TOKEN` (or `ALICLOUD_ACCESS_KEY`, `ALICLOUD_SECRET_KEY`, " +
			"`ALICLOUD_SECURITY_TOKEN`)",
	},
	{
		source:    "assume_role",
		block:     []string{"assume_role"},
		env:       envRoleARN,
		docSource: "Assumed RAM role",
		docBlock: "the `assume_role` block, with the access key or profile of the block as source " +
			"credentials; `role_arn` may come from `ALIBABA_CLOUD_ROLE_ARN`",
		docEnv: "`ALIBABA_CLOUD_ROLE_ARN` together with an access key from the environment",
	},
	{
		source:    "ecs_role_name",
		block:     []string{"ecs_role_name"},
		docSource: "RAM role of the ECS instance",
		docBlock:  "`ecs_role_name`",
		docEnv:    "none",
	},
	{
		source:    "profile",
		block:     []string{"profile", "shared_credentials_file"},
		env:       envProfile,
		docSource: "Profile of the Alibaba Cloud CLI configuration file",
		docBlock: "`profile` or `shared_credentials_file` or both; the profile name may come from " +
			"`ALIBABA_CLOUD_PROFILE`, the file from `ALIBABA_CLOUD_CONFIG_FILE`",
		docEnv: "`ALIBABA_CLOUD_PROFILE`",
	},
}

// credentialTableMarkdown renders credentialTable as docs/index.md shows it.
func credentialTableMarkdown() string {
	var b strings.Builder
	b.WriteString("| Source | From the provider block | From the environment, only when the block names no source |\n")
	b.WriteString("| --- | --- | --- |\n")
	for _, r := range credentialTable {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", r.docSource, r.docBlock, r.docEnv)
	}
	return b.String()
}

func joinLists(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// blockSetting reports whether the provider block sets the named setting
// of a credentialTable row.
func (m *providerModel) blockSetting(name string) bool {
	switch name {
	case "access_key":
		return !m.AccessKey.IsNull()
	case "secret_key":
		return !m.SecretKey.IsNull()
	case "security_token":
		return !m.SecurityToken.IsNull()
	case "assume_role":
		return m.AssumeRole != nil
	case "ecs_role_name":
		return !m.ECSRoleName.IsNull()
	case "profile":
		return !m.Profile.IsNull()
	case "shared_credentials_file":
		return !m.SharedCredentialsFile.IsNull()
	}
	panic("credentialTable names an unknown setting: " + name)
}

// namedSources returns, for each source the provider block names, the
// first of its settings that the block sets.
func namedSources(m *providerModel) map[string]string {
	named := map[string]string{}
	for _, r := range credentialTable {
		for _, setting := range r.block {
			if m.blockSetting(setting) {
				named[r.source] = setting
				break
			}
		}
	}
	return named
}

// resolveCredentials chooses the credentials by credentialTable and checks
// that they are complete and not contradicted by another source.
func resolveCredentials(m *providerModel, env lookupEnv, s *settings) *settingProblem {
	named := namedSources(m)
	if len(named) == 0 {
		s.credentialOrigin = originEnv
		return credentialsFromEnv(env, s)
	}
	s.credentialOrigin = originBlock
	return credentialsFromBlock(m, named, env, s)
}

// credentialsFromBlock takes the credentials from the sources the provider
// block names; the environment only completes assume_role's role_arn and
// the profile's name.
func credentialsFromBlock(m *providerModel, named map[string]string, env lookupEnv, s *settings) *settingProblem {
	key, hasKey := named["access key"]
	profileSetting, hasProfile := named["profile"]
	_, hasECS := named["ecs_role_name"]
	assume := m.AssumeRole != nil

	// Contradictions first: they are mistakes whatever else is set.
	switch {
	case hasECS && assume:
		return conflictAt(path.Root("assume_role"),
			"assume_role and ecs_role_name are two different ways to obtain credentials: remove the "+
				"assume_role block to use the ECS instance's RAM role, or remove ecs_role_name to assume "+
				"the role with an access key or profile.")
	case hasECS && hasKey:
		return conflictAt(path.Root("ecs_role_name"), fmt.Sprintf(
			"ecs_role_name and %s are two different ways to obtain credentials: remove one of them.", key))
	case hasECS && hasProfile:
		return conflictAt(path.Root("ecs_role_name"), fmt.Sprintf(
			"ecs_role_name and %s are two different ways to obtain credentials: remove one of them.", profileSetting))
	case hasKey && hasProfile:
		return conflictAt(path.Root(profileSetting), fmt.Sprintf(
			"%s and %s are two different ways to obtain credentials: remove one of them (with assume_role, "+
				"the one you keep is the source credentials of the role).", key, profileSetting))
	}

	// The key pair and its token come from the block only.
	ak, sk, token := m.AccessKey.ValueString(), m.SecretKey.ValueString(), m.SecurityToken.ValueString()
	switch {
	case token != "" && ak == "":
		return problemAt(path.Root("security_token"), "Incomplete Credentials",
			"security_token is set but no access key is: set access_key and secret_key to the temporary key "+
				"pair the security token belongs to (credentials named in the provider block are never "+
				"completed from the environment).")
	case sk != "" && ak == "":
		return problemAt(path.Root("access_key"), "Incomplete Credentials",
			"secret_key is set but no access key ID is: set access_key to the ID of the key the secret "+
				"belongs to (credentials named in the provider block are never completed from the environment).")
	case ak != "" && sk == "":
		return problemAt(path.Root("secret_key"), "Incomplete Credentials",
			"access_key is set but no secret key is: set secret_key to the access key's secret (an "+
				"access key set in the configuration takes its secret and security token from the "+
				"configuration only, never from the environment).")
	}

	switch {
	case hasKey:
		s.setAccessKey(ak, sk, token, "access_key", "secret_key", path.Root("access_key"))
	case hasECS:
		s.kind, s.ecsRoleName = "ecs_ram_role", m.ECSRoleName.ValueString()
		s.credentialName, s.credentialSource, s.credentialPath = "ecs_role_name", "ecs_role_name", path.Root("ecs_role_name")
	case hasProfile:
		profile, profileSrc := pick(m.Profile, "profile", env, envProfile)
		s.kind, s.profile, s.profileFile = "profile", profile, m.SharedCredentialsFile.ValueString()
		s.credentialName, s.credentialSource, s.credentialPath = "profile", profileSetting, path.Root(profileSetting)
		if profileSrc != "" {
			s.credentialSource = profileSrc
		}
	default: // assume_role alone
		return problemAt(path.Root("assume_role"), "Missing Source Credentials",
			"assume_role needs source credentials to call STS with: set access_key and secret_key, or "+
				"profile, in the provider block (credentials in the environment are not used when the "+
				"provider block names a credential source).")
	}
	if !assume {
		return nil
	}
	roleARN, roleSrc := pick(m.AssumeRole.RoleARN, "assume_role.role_arn", env, envRoleARN)
	if roleARN == "" {
		return problemAt(path.Root("assume_role").AtName("role_arn"), "Missing Role ARN",
			"The assume_role block needs role_arn (or ALIBABA_CLOUD_ROLE_ARN): set it to the ARN of the RAM "+
				"role to assume, e.g. acs:ram::123456789012:role/live-admin.")
	}
	a := m.AssumeRole
	s.sessionName, _ = pick(a.SessionName, "assume_role.session_name", env, envRoleSessionName)
	s.externalID = a.ExternalID.ValueString()
	s.policy = a.Policy.ValueString()
	s.sessionSeconds = int(a.SessionExpiration.ValueInt64())
	s.setRole(roleARN, roleSrc, path.Root("assume_role").AtName("role_arn"))
	return nil
}

// credentialsFromEnv takes the credentials from the environment, which the
// provider reads only when the provider block names no source: an access
// key (turned into an assumed role by ALIBABA_CLOUD_ROLE_ARN), else a
// profile.
func credentialsFromEnv(env lookupEnv, s *settings) *settingProblem {
	none := types.StringNull()
	ak, akSrc := pick(none, "", env, envAccessKey)
	sk, skSrc := pick(none, "", env, envSecretKey)
	token, tokenSrc := pick(none, "", env, envSecurityToken)
	switch {
	case token != "" && ak == "":
		return problemAt(path.Root("security_token"), "Incomplete Credentials",
			fmt.Sprintf("%s is set but no access key is: set ALIBABA_CLOUD_ACCESS_KEY_ID and "+
				"ALIBABA_CLOUD_ACCESS_KEY_SECRET to the temporary key pair the security token belongs to, or "+
				"unset it.", tokenSrc))
	case sk != "" && ak == "":
		return problemAt(path.Root("access_key"), "Incomplete Credentials",
			fmt.Sprintf("%s is set but no access key ID is: set ALIBABA_CLOUD_ACCESS_KEY_ID to the ID of the "+
				"key the secret belongs to, or unset it.", skSrc))
	case ak != "" && sk == "":
		return problemAt(path.Root("secret_key"), "Incomplete Credentials",
			fmt.Sprintf("%s is set but no secret key is: set ALIBABA_CLOUD_ACCESS_KEY_SECRET to the access "+
				"key's secret, or unset it.", akSrc))
	case ak != "":
		s.setAccessKey(ak, sk, token, akSrc, skSrc, path.Root("access_key"))
		if roleARN, roleSrc := pick(none, "", env, envRoleARN); roleARN != "" {
			s.setRole(roleARN, roleSrc, path.Root("access_key"))
		}
		return nil
	}
	if profile, profileSrc := pick(none, "", env, envProfile); profile != "" {
		s.kind, s.profile = "profile", profile
		s.credentialName, s.credentialSource, s.credentialPath = "profile", profileSrc, path.Root("profile")
		return nil
	}
	return problemAt(path.Root("access_key"), "Missing Credentials",
		"No Alibaba Cloud credentials are configured: set access_key and secret_key (or "+
			"ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET), or profile (or "+
			"ALIBABA_CLOUD_PROFILE), or ecs_role_name on an ECS instance.")
}

// setAccessKey selects a key pair (with an STS token when token is set).
func (s *settings) setAccessKey(ak, sk, token, source, secretSource string, p path.Path) {
	s.accessKey, s.secretKey, s.securityToken = ak, sk, token
	s.kind, s.credentialName = "access_key", "access key"
	if token != "" {
		s.kind = "sts"
	}
	s.credentialSource, s.secretSource, s.credentialPath = source, secretSource, p
}

// Authentication error codes that credentialAdvice explains.
const (
	codeUnknownAccessKey = "InvalidAccessKeyId.NotFound"
	codeWrongSignature   = "SignatureDoesNotMatch"
)

// credentialAdvice says what to check when the service rejects the
// credentials with code, naming the setting or variable the key came from
// ("" for other codes, and for sources whose key the provider never saw:
// an assumed role's or an ECS instance's temporary keys come from STS).
func (s *settings) credentialAdvice(code string) string {
	if code != codeUnknownAccessKey && code != codeWrongSignature {
		return ""
	}
	var id, secret string
	switch {
	case s.roleARN != "" || s.kind == "ecs_ram_role":
		return ""
	case s.kind == "profile":
		id = fmt.Sprintf("the access key ID of profile %q in the Alibaba Cloud CLI configuration file", s.profile)
		secret = fmt.Sprintf("the access key secret of profile %q in the Alibaba Cloud CLI configuration file", s.profile)
	case s.credentialSource == "access_key":
		id, secret = "access_key in the provider block", "secret_key in the provider block"
	default:
		id, secret = s.credentialSource, s.secretSource // "environment variable NAME"
	}
	if code == codeUnknownAccessKey {
		return fmt.Sprintf("The service knows no AccessKey with that ID: check %s (a mistyped, deleted or "+
			"disabled key), then try again.", id)
	}
	return fmt.Sprintf("The access key secret does not belong to the access key ID: check %s, which must be "+
		"the secret of the key in %s, then try again.", secret, id)
}

// setRole turns the selected access key or profile into the source
// credentials of an assumed role.
func (s *settings) setRole(roleARN, roleSrc string, p path.Path) {
	s.roleARN = roleARN
	if s.kind == "profile" {
		s.roleFromProfile = true
	} else {
		s.kind = "ram_role_arn"
	}
	s.credentialName = "assume_role with " + s.credentialName
	s.credentialSource = roleSrc + " with " + s.credentialSource
	s.credentialPath = p
}

// credential builds the credentials-go credential for the settings.
func (s *settings) credential() (credentials.Credential, error) {
	switch s.kind {
	case "access_key":
		return credentials.NewCredential(new(credentials.Config).SetType("access_key").
			SetAccessKeyId(s.accessKey).SetAccessKeySecret(s.secretKey))
	case "sts":
		return credentials.NewCredential(new(credentials.Config).SetType("sts").
			SetAccessKeyId(s.accessKey).SetAccessKeySecret(s.secretKey).SetSecurityToken(s.securityToken))
	case "ecs_ram_role":
		p, err := providers.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(s.ecsRoleName).Build()
		if err != nil {
			return nil, err
		}
		return credentials.FromCredentialsProvider("ecs_ram_role", p), nil
	}
	var source providers.CredentialsProvider
	var err error
	switch {
	case s.kind == "profile":
		source, err = providers.NewCLIProfileCredentialsProviderBuilder().
			WithProfileName(s.profile).WithProfileFile(s.profileFile).Build()
	case s.securityToken != "":
		source, err = providers.NewStaticSTSCredentialsProviderBuilder().WithAccessKeyId(s.accessKey).
			WithAccessKeySecret(s.secretKey).WithSecurityToken(s.securityToken).Build()
	default:
		source, err = providers.NewStaticAKCredentialsProviderBuilder().WithAccessKeyId(s.accessKey).
			WithAccessKeySecret(s.secretKey).Build()
	}
	if err != nil {
		return nil, err
	}
	if s.roleARN == "" {
		return credentials.FromCredentialsProvider(s.kind, source), nil
	}
	p, err := liveapi.NewAssumeRoleProvider(liveapi.AssumeRole{
		Source:      credentials.FromCredentialsProvider(source.GetProviderName(), source),
		STS:         liveapi.STSEndpoint{Host: s.stsHost(), Protocol: s.protocol},
		RoleARN:     s.roleARN,
		SessionName: s.sessionName,
		ExternalID:  s.externalID,
		Policy:      s.policy,
		Seconds:     s.sessionSeconds,
	})
	if err != nil {
		return nil, err
	}
	s.roleProvider = p
	return credentials.FromCredentialsProvider("ram_role_arn", p), nil
}

// expireSession is the client's ExpireSession: the assumed role's, or nil.
func (s *settings) expireSession() func(string) {
	if s.roleProvider == nil {
		return nil
	}
	return s.roleProvider.Expire
}
