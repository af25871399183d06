{{/* The chart's name, at most 63 characters: Kubernetes names and label values allow no more
(https://kubernetes.io/docs/concepts/overview/working-with-objects/names/). */}}
{{- define "transfer-portal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "transfer-portal.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "transfer-portal.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Kubernetes' recommended labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/) */}}
{{- define "transfer-portal.labels" -}}
helm.sh/chart: {{ include "transfer-portal.chart" . }}
{{ include "transfer-portal.selectorLabels" . }}
app.kubernetes.io/version: {{ (default .Chart.AppVersion .Values.image.tag) | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The selector: never changes between upgrades (a Deployment's selector is immutable) */}}
{{- define "transfer-portal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "transfer-portal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "transfer-portal.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "transfer-portal.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "transfer-portal.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if eq $tag "latest" }}
{{- fail "image.tag: name a version, never latest (a rollback would run whatever latest is then)" }}
{{- end }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}

{{- define "transfer-portal.forwardHeadersStrategy" -}}
{{- if .Values.forwardHeadersStrategy }}
{{- .Values.forwardHeadersStrategy }}
{{- else if .Values.ingress.enabled }}
{{- "native" }}
{{- end }}
{{- end }}
