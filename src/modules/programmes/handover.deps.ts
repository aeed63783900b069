/**
 * What handover, statements and the public page need from the programme and ledger services, in one
 * place (the programme's scope check and status flow, its balance from the ledger).
 */
export { changeProgrammeStatus, communeVisible, programmeForActor, scopeOf } from './programme.service';
export { programmeBalance, type Balance } from './ledger.service';
