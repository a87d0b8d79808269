import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ClinicView, CreateClinicRequest, UpdateClinicRequest } from '@vetlab/shared';
import { useApi } from '../app/providers';

/** Every clinic query starts with ['clinics'] (the intake form's list too): one invalidation refreshes them all. */
export const clinicKeys = { all: ['clinics'] as const, one: (id: string) => ['clinics', id] as const };

export function useClinics() {
  const api = useApi();
  return useQuery({ queryKey: clinicKeys.all, queryFn: () => api.get<ClinicView[]>('/clinics') });
}

export function useClinic(id: string) {
  const api = useApi();
  return useQuery({ queryKey: clinicKeys.one(id), queryFn: () => api.get<ClinicView>(`/clinics/${encodeURIComponent(id)}`) });
}

export function useCreateClinic() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateClinicRequest) => api.post<ClinicView>('/clinics', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: clinicKeys.all }),
  });
}

export function useUpdateClinic(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateClinicRequest) => api.patch<ClinicView>(`/clinics/${encodeURIComponent(id)}`, body),
    onSuccess: (clinic) => {
      qc.setQueryData(clinicKeys.one(id), clinic);
      void qc.invalidateQueries({ queryKey: clinicKeys.all });
    },
  });
}
