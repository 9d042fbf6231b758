package ecs

import (
	"fmt"

	"github.com/fargohq/fargo/internal/errdefs"
)

// checkVolumes checks the task's volumes: valid, unique names, at most one kind of storage each,
// the members each kind requires, and at most one volume configured at launch.
func checkVolumes(td *TaskDefinition) error {
	names := make(map[string]bool, len(td.Volumes))
	atLaunch := 0
	for i, v := range td.Volumes {
		if err := checkVolumeName(v, names); err != nil {
			return err
		}
		if kinds := volumeKinds(v); kinds > 1 {
			return errdefs.InvalidArgument("Volume '%s' can have only one of host, dockerVolumeConfiguration, efsVolumeConfiguration, s3filesVolumeConfiguration, fsxWindowsFileServerVolumeConfiguration and configuredAtLaunch.", v.Name)
		}
		if v.ConfiguredAtLaunch {
			atLaunch++
		}
		path := fmt.Sprintf("volumes.%d.member", i+1)
		if err := firstError(checkDockerVolume(v, path), checkEFSVolume(v, path), checkS3FilesVolume(v), checkFSxVolume(v)); err != nil {
			return err
		}
	}
	if atLaunch > 1 {
		return errdefs.InvalidArgument("A task definition can have at most one volume that is configured at launch.")
	}
	return nil
}

func checkVolumeName(v Volume, seen map[string]bool) error {
	needsName := v.ConfiguredAtLaunch || !isZero(v.EFSVolumeConfiguration) || !isZero(v.S3FilesVolumeConfiguration)
	switch {
	case v.Name == "" && needsName:
		return errdefs.InvalidArgument("Volume name should not be null or empty.")
	case v.Name == "":
		return nil
	case !namePattern.MatchString(v.Name) || len(v.Name) > maxNameLength:
		return errdefs.InvalidArgument("Volume name '%s' is invalid: use up to %d letters, numbers, hyphens and underscores.", v.Name, maxNameLength)
	case seen[v.Name]:
		return errdefs.InvalidArgument("Volume names must be unique within a task definition: '%s' is used more than once.", v.Name)
	}
	seen[v.Name] = true
	return nil
}

// volumeKinds counts the kinds of storage v is configured with.
func volumeKinds(v Volume) int {
	n := 0
	for _, set := range []bool{
		!isZero(v.Host), !isZero(v.DockerVolumeConfiguration), !isZero(v.EFSVolumeConfiguration),
		!isZero(v.S3FilesVolumeConfiguration), !isZero(v.FSxWindowsFileServerVolumeConfiguration), v.ConfiguredAtLaunch,
	} {
		if set {
			n++
		}
	}
	return n
}

func checkDockerVolume(v Volume, path string) error {
	d := v.DockerVolumeConfiguration
	if err := checkEnum(path+".dockerVolumeConfiguration.scope", d.Scope); err != nil {
		return err
	}
	if d.Autoprovision && d.Scope != DockerVolumeScopeShared {
		return errdefs.InvalidArgument("Volume '%s': autoprovision can only be used with scope shared.", v.Name)
	}
	return nil
}

func checkEFSVolume(v Volume, path string) error {
	e := v.EFSVolumeConfiguration
	if isZero(e) {
		return nil
	}
	if err := firstError(
		checkEnum(path+".efsVolumeConfiguration.transitEncryption", e.TransitEncryption),
		checkEnum(path+".efsVolumeConfiguration.authorizationConfig.iam", e.AuthorizationConfig.IAM),
	); err != nil {
		return err
	}
	auth := e.AuthorizationConfig
	switch {
	case e.FileSystemID == "":
		return errdefs.InvalidArgument("Volume '%s': efsVolumeConfiguration.fileSystemId is required.", v.Name)
	case e.TransitEncryptionPort < 0 || e.TransitEncryptionPort > 65535:
		return errdefs.InvalidArgument("Volume '%s': transitEncryptionPort must be between 0 and 65535.", v.Name)
	case (auth.IAM == EFSAuthorizationIAMEnabled || auth.AccessPointID != "") && e.TransitEncryption != EFSTransitEncryptionEnabled:
		return errdefs.InvalidArgument("Volume '%s': an EFS access point or IAM authorization requires transitEncryption ENABLED.", v.Name)
	case auth.AccessPointID != "" && e.RootDirectory != "" && e.RootDirectory != "/":
		return errdefs.InvalidArgument("Volume '%s': with an EFS access point, rootDirectory must be omitted or \"/\".", v.Name)
	}
	return nil
}

func checkS3FilesVolume(v Volume) error {
	s := v.S3FilesVolumeConfiguration
	switch {
	case isZero(s):
		return nil
	case s.FileSystemARN == "":
		return errdefs.InvalidArgument("Volume '%s': s3filesVolumeConfiguration.fileSystemArn is required.", v.Name)
	case s.TransitEncryptionPort < 0 || s.TransitEncryptionPort > 65535:
		return errdefs.InvalidArgument("Volume '%s': transitEncryptionPort must be between 0 and 65535.", v.Name)
	case s.AccessPointARN != "" && s.RootDirectory != "" && s.RootDirectory != "/":
		return errdefs.InvalidArgument("Volume '%s': with an S3 Files access point, rootDirectory must be omitted or \"/\".", v.Name)
	}
	return nil
}

func checkFSxVolume(v Volume) error {
	f := v.FSxWindowsFileServerVolumeConfiguration
	if isZero(f) {
		return nil
	}
	if f.FileSystemID == "" || f.RootDirectory == "" || f.AuthorizationConfig.CredentialsParameter == "" || f.AuthorizationConfig.Domain == "" {
		return errdefs.InvalidArgument("Volume '%s': fsxWindowsFileServerVolumeConfiguration requires fileSystemId, rootDirectory and authorizationConfig with credentialsParameter and domain.", v.Name)
	}
	return nil
}
