import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ClinicView, Page, ProtocolDetail, ProtocolSummary, ReportView, WorkOrderView } from '@vetlab/shared';
import { useApi } from '../app/providers';
import { ProtocolTableState, toApiQuery } from './protocol-query';

/** One page of the table; the previous page stays on screen while the next one loads. */
export function useProtocolList(state: ProtocolTableState) {
  const api = useApi();
  const query = toApiQuery(state);
  return useQuery({
    queryKey: ['protocols', query],
    queryFn: () => api.get<Page<ProtocolSummary>>('/protocols', query),
    placeholderData: keepPreviousData,
  });
}

export function useProtocol(id: string) {
  const api = useApi();
  return useQuery({ queryKey: ['protocol', id], queryFn: () => api.get<ProtocolDetail>(`/protocols/${encodeURIComponent(id)}`) });
}

export function useWorkOrder(id: string) {
  const api = useApi();
  return useQuery({ queryKey: ['work-order', id], queryFn: () => api.get<WorkOrderView>(`/work-orders/${id}`) });
}

export function useReport(id: string) {
  const api = useApi();
  return useQuery({ queryKey: ['report', id], queryFn: () => api.get<ReportView>(`/reports/${id}`) });
}

/** The clinic filter's options; only the lab asks (a vet has one clinic and no filter). */
export function useClinics(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ['clinics'],
    queryFn: () => api.get<ClinicView[]>('/clinics'),
    enabled,
    staleTime: 5 * 60_000,
  });
}
