{{- define "fjr.name" -}}
{{- .Chart.Name -}}
{{- end -}}

{{- define "fjr.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "fjr.labels" -}}
app.kubernetes.io/name: {{ include "fjr.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "fjr.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fjr.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "fjr.deployNamespace" -}}
{{- default .Release.Namespace .Values.deployNamespace -}}
{{- end -}}

{{- define "fjr.secretsKeySecret" -}}
{{- default (printf "%s-secrets" (include "fjr.fullname" .)) .Values.secretsKey.existingSecret -}}
{{- end -}}
