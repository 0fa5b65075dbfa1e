{{/* The chart name, overridable. */}}
{{- define "rowan.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The name of every object: the release name, with the chart name added unless already in it. */}}
{{- define "rowan.fullname" -}}
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

{{- define "rowan.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "rowan.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "rowan.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rowan.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* True (non-empty) when the internal database is an external PostgreSQL server. */}}
{{- define "rowan.externalDatabase" -}}
{{- if or .Values.database.url .Values.database.existingSecret }}true{{ end }}
{{- end }}

{{/* The Secret holding the secret key. */}}
{{- define "rowan.secretKeySecret" -}}
{{- default (include "rowan.fullname" .) .Values.secretKey.existingSecret }}
{{- end }}

{{/* The Secret holding the internal database's URL. */}}
{{- define "rowan.databaseSecret" -}}
{{- default (include "rowan.fullname" .) .Values.database.existingSecret }}
{{- end }}

{{/* The host names Rowan answers to: localhost for port-forwarding, the ingress hosts, allowedHosts. */}}
{{- define "rowan.allowedHosts" -}}
{{- $hosts := list "localhost" "127.0.0.1" "[::1]" }}
{{- if .Values.ingress.enabled }}
{{- range .Values.ingress.hosts }}
{{- $hosts = append $hosts .host }}
{{- end }}
{{- end }}
{{- $hosts = concat $hosts .Values.allowedHosts }}
{{- join "," (uniq $hosts) }}
{{- end }}

{{/*
Refuses values that would lose or split data: an internal database Rowan does not know (it would
refuse to start, later and less visibly), several replicas each with its own internal database, or
several replicas sharing one data directory (a volume can hold the built-in PostgreSQL server's
files for one running server only).
*/}}
{{- define "rowan.validate" -}}
{{- if not (has .Values.database.default (list "builtin" "sqlite")) }}
{{- fail (printf "database.default is %q, but it is builtin (the built-in PostgreSQL server on the data volume) or sqlite (a file on the data volume). An external PostgreSQL database is given with database.url or database.existingSecret." (toString .Values.database.default)) }}
{{- end }}
{{- if gt (int .Values.replicaCount) 1 }}
{{- if not (include "rowan.externalDatabase" .) }}
{{- fail (printf "replicaCount is %d, but several replicas need an external internal database: set database.url (or database.existingSecret) to a PostgreSQL database they share. With the built-in internal database each replica would keep its own users and settings." (int .Values.replicaCount)) }}
{{- end }}
{{- if .Values.persistence.enabled }}
{{- fail (printf "replicaCount is %d, but the replicas cannot share one data volume: set persistence.enabled=false. With an external internal database nothing lasting is kept in the data directory." (int .Values.replicaCount)) }}
{{- end }}
{{- end }}
{{- end }}
